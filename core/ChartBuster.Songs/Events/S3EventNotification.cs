using System.Text.Json.Serialization;

namespace ChartBuster.Songs.Events;

/// <summary>The S3 event notification document, as S3 sends it to Lambda, SQS or SNS.</summary>
public sealed record S3EventNotification([property: JsonPropertyName("Records")] IReadOnlyList<S3EventRecord>? Records);

public sealed record S3EventRecord(
    string? EventVersion,
    string? EventSource,
    string? AwsRegion,
    DateTimeOffset? EventTime,
    string? EventName,
    S3Entity S3);

public sealed record S3Entity(
    string? S3SchemaVersion,
    string? ConfigurationId,
    S3BucketEntity Bucket,
    [property: JsonPropertyName("object")] S3ObjectEntity Item);

public sealed record S3BucketEntity(string Name, string? Arn);

/// <summary>An object in an event. <see cref="Key"/> is URL-encoded, as S3 sends it (spaces arrive as '+').</summary>
public sealed record S3ObjectEntity(
    string Key,
    long? Size,
    [property: JsonPropertyName("eTag")] string? ETag,
    string? VersionId,
    string? Sequencer);

/// <summary>
/// Source-generated JSON for S3 event notifications (AOT-safe). Used by the Lambda, which receives them
/// directly, and by the training worker, which receives them through SQS.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(S3EventNotification))]
public sealed partial class S3EventJsonContext : JsonSerializerContext;
