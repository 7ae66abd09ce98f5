namespace ChartBuster.Model;

/// <summary>One song of a training set: its identity (for grouped splits) and the model's input.</summary>
public sealed record TrainingRow(string Uri, SongModelInput Input)
{
    public bool Label => Input.Label;
}
