namespace ChartBuster.Model.Serving;

/// <summary>One answer, with the version of the model that gave it.</summary>
public readonly record struct HitPrediction(double HitProbability, bool PredictedHit, string ModelVersion);

/// <summary>
/// The model that serves now. A new one is loaded and checked beside the old, then swapped in one
/// atomic step; a model that fails its checks is refused and the old one keeps serving. Each request
/// takes one snapshot, so all its answers come from one consistent model even during a swap.
/// </summary>
public sealed class HitPredictor
{
    private ServingModel? _current;

    public ServingModel? Current => Volatile.Read(ref _current);

    public bool IsReady => Current is not null;

    /// <summary>Loads and checks a model; swaps it in and returns null, or returns why it was refused.</summary>
    public string? TryLoad(Stream modelZip, string version)
    {
        try
        {
            var loaded = ServingModel.Load(modelZip, version);
            Interlocked.Exchange(ref _current, loaded);
            return null;
        }
        catch (UnusableModelException e)
        {
            return e.Message;
        }
    }

    public HitPrediction Predict(SongModelInput input)
    {
        var model = Current ?? throw new InvalidOperationException("No model is loaded yet.");
        return Answer(model.Predict(input), model.Version);
    }

    /// <summary>Several songs, all answered by the same model snapshot.</summary>
    public IReadOnlyList<HitPrediction> PredictMany(IReadOnlyList<SongModelInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var model = Current ?? throw new InvalidOperationException("No model is loaded yet.");
        return [.. Probabilities(model, inputs).Select(p => Answer(p, model.Version))];
    }

    /// <summary>Probabilities from one model: a few songs through pooled engines (no pipeline set-up), many in one batch.</summary>
    public static double[] Probabilities(ServingModel model, IReadOnlyList<SongModelInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        return inputs.Count <= 16 ? [.. inputs.Select(model.Predict)] : model.PredictMany(inputs);
    }

    private static HitPrediction Answer(double probability, string version) =>
        new(probability, probability >= BinaryMetrics.DefaultThreshold, version);
}
