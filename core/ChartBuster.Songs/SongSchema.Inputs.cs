namespace ChartBuster.Songs;

/// <summary>
/// How a person reads and enters one audio feature: its label, a line of help in plain words, and the step it is
/// entered in (Spotify's own precision for it); its range is the cleaning rule's (<see cref="Rule"/>).
/// </summary>
public sealed record SongInputDescription(SongColumn Column, string Label, string Help, double Step)
{
    public string Name => SongSchema.NameOf(Column);

    public NumericRule Rule => NumericRule.For(Column);
}

public static partial class SongSchema
{
    /// <summary>The audio features a song is described by, as a form or an explanation names them.</summary>
    public static IReadOnlyList<SongInputDescription> Inputs { get; } =
    [
        new(SongColumn.Danceability, "Danceability", "0 = not danceable, 1 = very danceable", 0.01),
        new(SongColumn.Energy, "Energy", "0 = calm, 1 = intense", 0.01),
        new(SongColumn.Valence, "Valence (mood)", "0 = sad or angry, 1 = happy", 0.01),
        new(SongColumn.Acousticness, "Acousticness", "how sure Spotify is the track is acoustic, 0 to 1", 0.001),
        new(SongColumn.Instrumentalness, "Instrumentalness", "above 0.5: probably no vocals", 0.001),
        new(SongColumn.Speechiness, "Speechiness", "spoken words; 0.33 to 0.66 is rap-like", 0.001),
        new(SongColumn.Liveness, "Liveness", "above 0.8: probably a live recording", 0.001),
        new(SongColumn.Loudness, "Loudness (dB)", "average loudness, usually −60 to 0 dB", 0.1),
        new(SongColumn.Tempo, "Tempo (BPM)", "beats per minute; 0 if no beat", 0.1),
        new(SongColumn.TimeSignature, "Beats per bar", "4 for most songs", 1),
        new(SongColumn.Key, "Key", "the tonic note", 1),
        new(SongColumn.Mode, "Mode", "major or minor", 1),
        new(SongColumn.DurationMs, "Length (m:ss)", "minutes and seconds, such as 3:40", 1000),
        new(SongColumn.ChorusHit, "Chorus starts at (s)", "seconds from the start; leave blank to estimate from the length", 0.1),
        new(SongColumn.Sections, "Sections", "verses, choruses, bridges…; leave blank to estimate from the length", 1),
    ];

    public static SongInputDescription Describe(SongColumn column) =>
        Inputs.FirstOrDefault(i => i.Column == column)
        ?? throw new ArgumentOutOfRangeException(nameof(column), column, "Not an audio feature a song is described by.");
}
