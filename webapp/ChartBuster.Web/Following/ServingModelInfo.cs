using ChartBuster.Model;

namespace ChartBuster.Web.Following;

/// <summary>What is known about the serving model beyond its predictions: its card and metrics, when available.</summary>
public sealed class ServingModelInfo
{
    private volatile Snapshot? _snapshot;

    public Snapshot? Current => _snapshot;

    public void Set(Snapshot snapshot) => _snapshot = snapshot;

    public sealed record Snapshot(string ModelVersion, string Source, ModelCard? Card, ModelMetrics? Metrics, DateTimeOffset LoadedAt);
}
