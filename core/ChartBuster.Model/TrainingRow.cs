namespace ChartBuster.Model;

/// <summary>One song of a training set: its identity (for grouped splits) and the model's input.</summary>
public sealed record TrainingRow(string Uri, SongModelInput Input)
{
    public bool Label => Input.Label;

    /// <summary>The song's title and artist when the file has them: for the song index shipped with the model, never a model input.</summary>
    public string Track { get; init; } = "";

    public string Artist { get; init; } = "";
}
