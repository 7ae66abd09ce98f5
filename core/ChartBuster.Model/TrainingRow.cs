namespace ChartBuster.Model;

/// <summary>
/// One song of a training set: its identity (uri and artist, for grouped splits only: never a model input)
/// and the model's input.
/// </summary>
public sealed record TrainingRow(string Uri, string Artist, SongModelInput Input)
{
    public bool Label => Input.Label;

    /// <summary>The song's title when the file has it: for the song index shipped with the model, never a model input.</summary>
    public string Track { get; init; } = "";
}
