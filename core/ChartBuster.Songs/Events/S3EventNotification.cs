using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChartBuster.Songs.Events;

/// <summary>
/// The S3 event notification document (event structure version 2.1), as S3 sends it to Lambda and as the SQS message
/// body of the training queue; the local wiring and the tests write it with <see cref="S3EventJson"/>. The same body
/// can instead be the test event S3 sends once when a notification is configured: it has no Records and
/// <see cref="Event"/> is "s3:TestEvent".
/// </summary>
public sealed record S3EventNotification([property: JsonPropertyName("Records")] IReadOnlyList<S3EventRecord>? Records)
{
    public const string TestEventName = "s3:TestEvent";

    [JsonPropertyName("Event")]
    public string? Event { get; init; }

    [JsonIgnore]
    public bool IsTestEvent => Event == TestEventName;
}

public sealed record S3EventRecord(
    string? EventVersion,
    string? EventSource,
    string? AwsRegion,
    [property: JsonConverter(typeof(S3EventTimeConverter))] DateTimeOffset? EventTime,
    string? EventName,
    [property: JsonPropertyOrder(1)] S3Entity S3)
{
    public S3Principal? UserIdentity { get; init; }

    public S3RequestParameters? RequestParameters { get; init; }

    public S3ResponseElements? ResponseElements { get; init; }
}

public sealed record S3Principal(string PrincipalId);

public sealed record S3RequestParameters([property: JsonPropertyName("sourceIPAddress")] string SourceIpAddress);

public sealed record S3ResponseElements(
    [property: JsonPropertyName("x-amz-request-id")] string RequestId,
    [property: JsonPropertyName("x-amz-id-2")] string HostId);

public sealed record S3Entity(
    string? S3SchemaVersion,
    string? ConfigurationId,
    S3BucketEntity Bucket,
    [property: JsonPropertyName("object")] S3ObjectEntity Item);

public sealed record S3BucketEntity(string Name, string? Arn)
{
    public S3Principal? OwnerIdentity { get; init; }
}

/// <summary>An object in an event. <see cref="Key"/> is URL-encoded, as S3 sends it (spaces arrive as '+').</summary>
public sealed record S3ObjectEntity(
    string Key,
    long? Size,
    [property: JsonPropertyName("eTag")] string? ETag,
    string? VersionId,
    string? Sequencer);

/// <summary>S3 writes event times as UTC with milliseconds ("2026-11-23T12:00:00.000Z"); any ISO 8601 time is read.</summary>
public sealed class S3EventTimeConverter : JsonConverter<DateTimeOffset?>
{
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } time)
        {
            writer.WriteStringValue(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

/// <summary>
/// Source-generated JSON for S3 event notifications (AOT-safe). Used by the Lambda, which receives them
/// directly, by the training worker, which receives them through SQS, and by whatever writes them.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(S3EventNotification))]
public sealed partial class S3EventJsonContext : JsonSerializerContext;
