using ChartBuster.Model.Reference;
using ChartBuster.Model.Scoring;

namespace ChartBuster.Model.Serving;

/// <summary>One answer, with the version of the model that gave it.</summary>
public readonly record struct HitPrediction(double HitProbability, bool PredictedHit, string ModelVersion)
{
    public static HitPrediction Of(double probability, string version) => new(probability, HitThreshold.IsHit(probability), version);
}

/// <summary>
/// The model that serves, and everything known about it: which version, where it came from, since when, with what
/// card and metrics; and the loaded model that answers for it. Immutable: the card on hand is always this model's.
/// </summary>
/// <param name="Source">Where it was loaded from: s3://bucket/models/{version}/ or a local path.</param>
public sealed record ServedModel(ServingModel Model, string Source, DateTimeOffset LoadedAt, ModelCard? Card, ModelMetrics? Metrics)
{
    public string Version => Model.Version;

    public ModelEvaluator Evaluator => Model.Evaluator;

    /// <summary>What the trainer stored about its data; null for a model.zip without it.</summary>
    public ModelReference? Reference => Model.Reference;

    public HitPrediction Predict(SongModelInput input) => HitPrediction.Of(Model.Predict(input), Version);

    /// <summary>Several songs, all answered by this one model.</summary>
    public IReadOnlyList<HitPrediction> PredictMany(IReadOnlyList<SongModelInput> inputs) =>
        [.. Model.Probabilities(inputs).Select(p => HitPrediction.Of(p, Version))];
}

/// <summary>A model that was not served, and why (the one serving before it kept serving).</summary>
public sealed record ModelRefusal(string ModelVersion, string Reason, DateTimeOffset At);

/// <summary>What serves now and the last model refused since it was loaded: one immutable snapshot, swapped whole.</summary>
public sealed record ServingState(ServedModel? Serving, ModelRefusal? Refused)
{
    public static ServingState Empty { get; } = new(null, null);
}
