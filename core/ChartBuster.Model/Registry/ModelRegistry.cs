using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.S3;
using Amazon.S3.Model;
using ChartBuster.Songs.Pipeline;

namespace ChartBuster.Model.Registry;

/// <summary>The pointer the web app follows: models/current.json.</summary>
public sealed record ModelPointer(string ModelVersion, string DatasetId, DateTimeOffset PromotedAt, double? ValidationAuc, string Reason, string? PreviousVersion);

/// <summary>trained/{datasetId}.json: this dataset was trained once (promoted or not), so a repeated message trains nothing.</summary>
public sealed record TrainedDataset(string DatasetId, string ModelVersion, string Status, DateTimeOffset At);

/// <summary>
/// The model registry in the artifacts bucket. A version's files are written first
/// (models/{version}/model.zip, metrics.json, then model-card.json), the pointer models/current.json
/// last, so the web app never follows a pointer to an incomplete version.
/// </summary>
public sealed class ModelRegistry(IAmazonS3 s3, string bucket)
{
    public const string PointerKey = StorageLayout.ModelPointer;

    public static string VersionPrefix(string version) => StorageLayout.ModelVersionPrefix(version);

    public async Task<ModelPointer?> CurrentAsync(CancellationToken cancellationToken) =>
        await ReadJsonAsync(PointerKey, RegistryJsonContext.Default.ModelPointer, cancellationToken);

    /// <summary>The pointer with the ETag of the object read, so a follower records exactly what it acted on.</summary>
    public async Task<(ModelPointer? Pointer, string? ETag)> ReadPointerAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s3.GetObjectAsync(bucket, PointerKey, cancellationToken);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
            return (JsonSerializer.Deserialize(buffer.ToArray(), RegistryJsonContext.Default.ModelPointer), response.ETag);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return (null, null);
        }
    }

    public async Task<string?> PointerETagAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await s3.GetObjectMetadataAsync(bucket, PointerKey, cancellationToken)).ETag;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Stream?> OpenModelAsync(string version, CancellationToken cancellationToken)
    {
        var bytes = await ReadBytesAsync(VersionPrefix(version) + ModelFiles.Model, cancellationToken);
        return bytes is null ? null : new MemoryStream(bytes, writable: false);
    }

    public Task<ModelCard?> ReadCardAsync(string version, CancellationToken cancellationToken) =>
        ReadJsonAsync(VersionPrefix(version) + ModelFiles.Card, ModelJsonContext.Default.ModelCard, cancellationToken);

    public Task<ModelMetrics?> ReadMetricsAsync(string version, CancellationToken cancellationToken) =>
        ReadJsonAsync(VersionPrefix(version) + ModelFiles.Metrics, ModelJsonContext.Default.ModelMetrics, cancellationToken);

    public async Task StoreVersionAsync(ModelCard card, byte[] model, byte[] metrics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        var prefix = VersionPrefix(card.ModelVersion);
        await PutAsync(prefix + ModelFiles.Model, model, "application/zip", cancellationToken);
        await PutAsync(prefix + ModelFiles.Metrics, metrics, "application/json", cancellationToken);
        await StoreCardAsync(card, model, cancellationToken);
    }

    /// <summary>Writes a version's card (again, when its status changes), with the SHA-256 of its model.zip.</summary>
    public Task StoreCardAsync(ModelCard card, byte[] model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        return PutAsync(VersionPrefix(card.ModelVersion) + ModelFiles.Card, ModelFiles.CardBytes(card with { ModelSha256 = ModelFiles.Sha256(model) }), "application/json", cancellationToken);
    }

    public Task PointToAsync(ModelPointer next, CancellationToken cancellationToken) =>
        PutAsync(PointerKey, JsonSerializer.SerializeToUtf8Bytes(next, RegistryJsonContext.Default.ModelPointer), "application/json", cancellationToken);

    public async Task<bool> WasTrainedAsync(string datasetId, CancellationToken cancellationToken) =>
        await ReadBytesAsync(TrainedKey(datasetId), cancellationToken) is not null;

    public Task MarkTrainedAsync(TrainedDataset trained, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trained);
        return PutAsync(TrainedKey(trained.DatasetId), JsonSerializer.SerializeToUtf8Bytes(trained, RegistryJsonContext.Default.TrainedDataset), "application/json", cancellationToken);
    }

    /// <summary>
    /// Every version's card, newest first: promoted, rejected (with the reason) or interrupted. A version still
    /// "promoting" that the pointer does not name was written by a training that stopped before it could move the
    /// pointer: it never served, and is shown as interrupted.
    /// </summary>
    public async Task<IReadOnlyList<ModelCard>> HistoryAsync(CancellationToken cancellationToken)
    {
        var serving = (await CurrentAsync(cancellationToken))?.ModelVersion;
        var cards = new List<ModelCard>();
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = StorageLayout.ModelsRoot, ContinuationToken = token }, cancellationToken);
            foreach (var item in (page.S3Objects ?? []).Where(o => o.Key.EndsWith("/" + ModelFiles.Card, StringComparison.Ordinal)))
            {
                if (await ReadJsonAsync(item.Key, ModelJsonContext.Default.ModelCard, cancellationToken) is { } card)
                {
                    cards.Add(card.Status != ModelStatus.Promoting ? card
                        : card.ModelVersion == serving ? card with { Status = ModelStatus.Promoted }
                        : card with { Status = ModelStatus.Interrupted, StatusReason = $"never served: training stopped before the pointer moved ({card.StatusReason})" });
                }
            }

            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);

        return [.. cards.OrderByDescending(c => c.TrainedAt)];
    }

    /// <summary>Points the web app back at an earlier version; only the pointer changes.</summary>
    public async Task<ModelPointer> RollBackAsync(string version, CancellationToken cancellationToken)
    {
        var card = await ReadJsonAsync(VersionPrefix(version) + ModelFiles.Card, ModelJsonContext.Default.ModelCard, cancellationToken)
            ?? throw new InvalidOperationException($"There is no model version '{version}'.");
        var current = await CurrentAsync(cancellationToken);
        var rolledBack = new ModelPointer(version, card.DatasetId, DateTimeOffset.UtcNow, card.ValidationAuc, $"rollback from {current?.ModelVersion ?? "nothing"}", current?.ModelVersion);
        await PointToAsync(rolledBack, cancellationToken);
        return rolledBack;
    }

    private static string TrainedKey(string datasetId) => StorageLayout.TrainedMarker(datasetId);

    private async Task PutAsync(string key, byte[] content, string contentType, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(content, writable: false);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = body, ContentType = contentType }, cancellationToken);
    }

    private async Task<T?> ReadJsonAsync<T>(string key, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class =>
        await ReadBytesAsync(key, cancellationToken) is { } bytes ? JsonSerializer.Deserialize(bytes, type) : null;

    private async Task<byte[]?> ReadBytesAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s3.GetObjectAsync(bucket, key, cancellationToken);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ModelPointer))]
[JsonSerializable(typeof(TrainedDataset))]
public sealed partial class RegistryJsonContext : JsonSerializerContext;
