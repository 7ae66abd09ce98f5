using System.Globalization;
using System.Net;
using System.Text.Json;

namespace ChartBuster.Songs.Events;

/// <summary>One created object to announce.</summary>
public sealed record S3ObjectCreated(string Bucket, string Key, long Size, string ETag);

/// <summary>
/// Writes the event notification JSON S3 sends for ObjectCreated events (event structure version 2.1), field for
/// field: the local stack announces files with it and the tests feed it to the function and the worker. Written with
/// Utf8JsonWriter, so it is safe under Native AOT.
/// </summary>
public static class S3EventJson
{
    /// <summary>S3 URL-encodes keys in notifications the form way: a space becomes '+', '/' stays.</summary>
    public static string EncodeKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return string.Join('/', key.Split('/').Select(WebUtility.UrlEncode));
    }

    public static byte[] ObjectCreated(
        IEnumerable<S3ObjectCreated> objects,
        DateTimeOffset time,
        string eventName = "ObjectCreated:Put",
        string configurationId = "chartbuster",
        string region = "us-east-1")
    {
        ArgumentNullException.ThrowIfNull(objects);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("Records");
            foreach (var item in objects)
            {
                WriteRecord(json, item, time, eventName, configurationId, region);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteRecord(Utf8JsonWriter json, S3ObjectCreated item, DateTimeOffset time, string eventName, string configurationId, string region)
    {
        json.WriteStartObject();
        json.WriteString("eventVersion", "2.1");
        json.WriteString("eventSource", "aws:s3");
        json.WriteString("awsRegion", region);
        json.WriteString("eventTime", time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        json.WriteString("eventName", eventName);
        json.WriteStartObject("userIdentity");
        json.WriteString("principalId", "AWS:AIDAEXAMPLE");
        json.WriteEndObject();
        json.WriteStartObject("requestParameters");
        json.WriteString("sourceIPAddress", "127.0.0.1");
        json.WriteEndObject();
        json.WriteStartObject("responseElements");
        json.WriteString("x-amz-request-id", "C3D13FE58DE4C810");
        json.WriteString("x-amz-id-2", "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD");
        json.WriteEndObject();
        json.WriteStartObject("s3");
        json.WriteString("s3SchemaVersion", "1.0");
        json.WriteString("configurationId", configurationId);
        json.WriteStartObject("bucket");
        json.WriteString("name", item.Bucket);
        json.WriteStartObject("ownerIdentity");
        json.WriteString("principalId", "A3NL1KOZZKExample");
        json.WriteEndObject();
        json.WriteString("arn", $"arn:aws:s3:::{item.Bucket}");
        json.WriteEndObject();
        json.WriteStartObject("object");
        json.WriteString("key", EncodeKey(item.Key));
        json.WriteNumber("size", item.Size);
        json.WriteString("eTag", item.ETag.Trim('"'));
        json.WriteString("sequencer", time.UtcTicks.ToString("X16", CultureInfo.InvariantCulture));
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
