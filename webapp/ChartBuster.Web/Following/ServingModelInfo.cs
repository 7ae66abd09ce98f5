using ChartBuster.Model;

namespace ChartBuster.Web.Following;

/// <summary>
/// What is known about the serving model beyond its predictions (its card and metrics, when available), and
/// about the last model that was refused and why, for /health/ready and the model page.
/// </summary>
public sealed class ServingModelInfo
{
    private volatile Snapshot? _snapshot;
    private volatile Refusal? _refused;

    public Snapshot? Current => _snapshot;

    /// <summary>The last model refused since the serving one loaded, or null.</summary>
    public Refusal? Refused => _refused;

    public void Set(Snapshot snapshot)
    {
        _snapshot = snapshot;
        _refused = null;
    }

    public void Refuse(Refusal refusal) => _refused = refusal;

    public sealed record Snapshot(string ModelVersion, string Source, ModelCard? Card, ModelMetrics? Metrics, DateTimeOffset LoadedAt);

    public sealed record Refusal(string ModelVersion, string Reason, DateTimeOffset At);
}
