namespace ChartBuster.Model;

/// <summary>
/// One song of a training set: its identity (uri and artist, for grouped splits only: never a model input)
/// and the model's input.
/// </summary>
public sealed record TrainingRow(string Uri, string Artist, SongModelInput Input)
{
    private readonly string _artist = Artist;

    public string Artist
    {
        get => _artist;
        init
        {
            _artist = value;
            ArtistKey = ArtistName.Normalise(value);
        }
    }

    /// <summary>The artist as the splits group it (<see cref="ArtistName.Normalise"/>), computed once per row: a training
    /// splits, counts and describes the rows by artist several times.</summary>
    public string ArtistKey { get; private init; } = ArtistName.Normalise(Artist);

    public bool Label => Input.Label;

    /// <summary>The song's title when the file has it: for the song index shipped with the model, never a model input.</summary>
    public string Track { get; init; } = "";
}
