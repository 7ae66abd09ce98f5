namespace ChartBuster.Model.Serving;

/// <summary>
/// The one place that says which model serves. A new model is loaded and checked beside the old, then swapped in
/// with one reference write of an immutable <see cref="ServingState"/>; a model that fails its checks is recorded as
/// refused and the old one keeps serving. A reader takes one snapshot, so everything it answers (the probabilities,
/// the version, the card) comes from one model even during a swap.
/// </summary>
public sealed class CurrentModel
{
    private ServingState _state = ServingState.Empty;

    public ServingState State => Volatile.Read(ref _state);

    /// <summary>The serving model, or null before any has loaded.</summary>
    public ServedModel? Serving => State.Serving;

    public bool IsReady => Serving is not null;

    /// <summary>
    /// Loads and checks a model.zip; serves it and returns null, or records the refusal and returns its reason. A
    /// model that cannot serve never throws out of here.
    /// </summary>
    public string? TryServe(Stream modelZip, string version, string source, ModelCard? card, ModelMetrics? metrics, DateTimeOffset at)
    {
        ServingModel model;
        try
        {
            model = ServingModel.Load(modelZip, version);
        }
        catch (UnusableModelException e)
        {
            Refuse(version, e.Message, at);
            return e.Message;
        }

        Volatile.Write(ref _state, new ServingState(new ServedModel(model, source, at, card, metrics), null));
        return null;
    }

    /// <summary>Records a model that will not serve (for a reason found before loading it, or by loading it).</summary>
    public void Refuse(string version, string reason, DateTimeOffset at)
    {
        var refusal = new ModelRefusal(version, reason, at);
        ServingState seen;
        do
        {
            seen = State;
        }
        while (!ReferenceEquals(Interlocked.CompareExchange(ref _state, seen with { Refused = refusal }, seen), seen));
    }
}
