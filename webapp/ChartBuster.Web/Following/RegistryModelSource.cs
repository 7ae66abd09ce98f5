using System.Security.Cryptography;
using System.Text.Json;
using Amazon.S3;
using ChartBuster.Model;
using ChartBuster.Model.Registry;

namespace ChartBuster.Web.Following;

/// <summary>
/// The model registry in the artifacts bucket: the model models/current.json names, with its card and metrics. A
/// HEAD of the pointer per look; the model is fetched only when the pointer's ETag moved.
/// </summary>
public sealed partial class RegistryModelSource(IAmazonS3 s3, string bucket, ILogger<RegistryModelSource> logger) : IModelSource
{
    private readonly ModelRegistry _registry = new(s3, bucket);

    public async Task<SourceLook> LookAsync(string? handled, CancellationToken cancellationToken)
    {
        string etag;
        try
        {
            etag = (await s3.GetObjectMetadataAsync(bucket, ModelRegistry.PointerKey, cancellationToken)).ETag;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return new SourceLook.NoModelYet();
        }

        if (etag == handled)
        {
            return new SourceLook.Unchanged();
        }

        var (pointer, pointerETag) = await ReadPointerAsync(cancellationToken);
        if (pointer is null)
        {
            return pointerETag is null
                ? new SourceLook.NoModelYet()
                : new SourceLook.Unservable(pointerETag, ModelRegistry.PointerKey, "the pointer is not valid JSON naming a model version");
        }

        var version = pointer.ModelVersion;
        await using var zip = await _registry.OpenModelAsync(version, cancellationToken);
        if (zip is null)
        {
            return new SourceLook.Unservable(pointerETag!, version, "the pointer names a version without model.zip");
        }

        var card = await ReadOrNullAsync(() => _registry.ReadCardAsync(version, cancellationToken), version);
        var metrics = await ReadOrNullAsync(() => _registry.ReadMetricsAsync(version, cancellationToken), version);
        var bytes = ((MemoryStream)zip).ToArray();
        if (card?.ModelSha256 is { } expected && expected != Convert.ToHexStringLower(SHA256.HashData(bytes)))
        {
            return new SourceLook.Unservable(pointerETag!, version, "model.zip is not the file its model card describes (SHA-256 differs)");
        }

        return new SourceLook.Found(pointerETag!, bytes, version, $"s3://{bucket}/{ModelRegistry.VersionPrefix(version)}", card, metrics);
    }

    public async Task<IReadOnlyList<ModelCard>?> HistoryAsync(CancellationToken cancellationToken) => await _registry.HistoryAsync(cancellationToken);

    /// <summary>The pointer and the ETag of the very object read (it may have moved since the HEAD).</summary>
    private async Task<(ModelPointer? Pointer, string? ETag)> ReadPointerAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _registry.ReadPointerAsync(cancellationToken);
        }
        catch (JsonException)
        {
            return (null, await _registry.PointerETagAsync(cancellationToken));
        }
    }

    /// <summary>A card or metrics file that cannot be parsed leaves the model servable, only less described.</summary>
    private async Task<T?> ReadOrNullAsync<T>(Func<Task<T?>> read, string version)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (JsonException e)
        {
            LogUnreadableDocument(e, version);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "a model document of {ModelVersion} cannot be read; serving without it")]
    private partial void LogUnreadableDocument(Exception exception, string modelVersion);
}
