using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.S3;
using Amazon.S3.Model;

namespace ChartBuster.Preprocess;

/// <summary>The newest event handled for one raw object: events/{hash of bucket and key}.json in the ready bucket.</summary>
public sealed record HandledEvent(string Bucket, string Key, string Sequencer, string? DatasetId);

/// <summary>
/// Keeps, per raw object, the <c>sequencer</c> of the newest S3 event handled, so that an older notification that
/// arrives late (S3 delivers at least once and in no guaranteed order) is ignored instead of acted on. Sequencers
/// order events for the same key only: hexadecimal strings compared after padding the shorter with leading zeros.
/// </summary>
public sealed class EventOrder(IAmazonS3 s3, string readyBucket)
{
    public const string Prefix = "events/";

    public static int Compare(string first, string second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var width = Math.Max(first.Length, second.Length);
        return string.CompareOrdinal(first.PadLeft(width, '0').ToUpperInvariant(), second.PadLeft(width, '0').ToUpperInvariant());
    }

    public async Task<HandledEvent?> LatestAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s3.GetObjectAsync(readyBucket, MarkerKey(bucket, key), cancellationToken);
            return await JsonSerializer.DeserializeAsync(response.ResponseStream, EventOrderJsonContext.Default.HandledEvent, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task RecordAsync(HandledEvent handled, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handled);
        using var body = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(handled, EventOrderJsonContext.Default.HandledEvent), writable: false);
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = readyBucket,
            Key = MarkerKey(handled.Bucket, handled.Key),
            InputStream = body,
            ContentType = "application/json",
        }, cancellationToken);
    }

    private static string MarkerKey(string bucket, string key) =>
        $"{Prefix}{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{bucket}\n{key}")))}.json";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HandledEvent))]
internal sealed partial class EventOrderJsonContext : JsonSerializerContext;
