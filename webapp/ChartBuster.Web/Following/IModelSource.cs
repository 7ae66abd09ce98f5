using ChartBuster.Model;

namespace ChartBuster.Web.Following;

/// <summary>
/// Where the serving model comes from: the registry (models/current.json in the artifacts bucket,
/// <see cref="RegistryModelSource"/>) or one local model.zip (<see cref="LocalModelFile"/>). A source only finds
/// models; <see cref="ModelFollower"/> loads them into <see cref="ChartBuster.Model.Serving.CurrentModel"/>.
/// </summary>
public interface IModelSource
{
    /// <summary>
    /// Looks for a model other than the one last handled (<paramref name="handled"/>, the stamp of an earlier
    /// <see cref="SourceLook.Found"/> or <see cref="SourceLook.Unservable"/>). Throws for failures that may pass
    /// (S3 unavailable, a timeout); the caller retries.
    /// </summary>
    Task<SourceLook> LookAsync(string? handled, CancellationToken cancellationToken);

    /// <summary>Every version the source knows, newest first; null when it keeps no history (a local file).</summary>
    Task<IReadOnlyList<ModelCard>?> HistoryAsync(CancellationToken cancellationToken);
}

/// <summary>What one look at the model source found.</summary>
public abstract record SourceLook
{
    /// <summary>The source names the model already handled.</summary>
    public sealed record Unchanged : SourceLook;

    /// <summary>No model has been promoted (or written) yet.</summary>
    public sealed record NoModelYet : SourceLook;

    /// <summary>A model to load. <paramref name="Stamp"/> identifies what was found, so the next look can say <see cref="Unchanged"/>.</summary>
    /// <param name="Source">Where it lives, for the model page and the logs (s3://bucket/models/{version}/ or a path).</param>
    public sealed record Found(string Stamp, byte[] Zip, string Version, string Source, ModelCard? Card, ModelMetrics? Metrics) : SourceLook;

    /// <summary>A model that cannot serve, known before loading it (no model.zip, a digest that differs, a broken pointer).</summary>
    public sealed record Unservable(string Stamp, string Version, string Reason) : SourceLook;
}
