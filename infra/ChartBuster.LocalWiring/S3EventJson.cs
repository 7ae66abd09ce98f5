using System.Globalization;
using System.Net;
using System.Text.Json;

namespace ChartBuster.LocalWiring;

/// <summary>
/// The event notification JSON S3 sends for an ObjectCreated event (event structure version 2.1), field for field,
/// so the local stack feeds the function and the queue exactly what AWS would.
/// </summary>
public static class S3EventJson
{
    public static byte[] ObjectCreated(string bucket, string key, long size, string eTag, string configurationId, DateTimeOffset time, string region = "us-east-1")
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("Records");
            json.WriteStartObject();
            json.WriteString("eventVersion", "2.1");
            json.WriteString("eventSource", "aws:s3");
            json.WriteString("awsRegion", region);
            json.WriteString("eventTime", time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("eventName", "ObjectCreated:Put");
            json.WriteStartObject("userIdentity");
            json.WriteString("principalId", "AWS:LOCAL");
            json.WriteEndObject();
            json.WriteStartObject("requestParameters");
            json.WriteString("sourceIPAddress", "127.0.0.1");
            json.WriteEndObject();
            json.WriteStartObject("responseElements");
            json.WriteString("x-amz-request-id", Convert.ToHexString(Guid.NewGuid().ToByteArray())[..16]);
            json.WriteString("x-amz-id-2", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
            json.WriteEndObject();
            json.WriteStartObject("s3");
            json.WriteString("s3SchemaVersion", "1.0");
            json.WriteString("configurationId", configurationId);
            json.WriteStartObject("bucket");
            json.WriteString("name", bucket);
            json.WriteStartObject("ownerIdentity");
            json.WriteString("principalId", "LOCAL");
            json.WriteEndObject();
            json.WriteString("arn", $"arn:aws:s3:::{bucket}");
            json.WriteEndObject();
            json.WriteStartObject("object");
            json.WriteString("key", EncodeKey(key));
            json.WriteNumber("size", size);
            json.WriteString("eTag", eTag.Trim('"'));
            json.WriteString("sequencer", time.UtcTicks.ToString("X16", CultureInfo.InvariantCulture));
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>S3 URL-encodes keys in notifications the form way: a space becomes '+', '/' stays.</summary>
    public static string EncodeKey(string key) =>
        string.Join('/', key.Split('/').Select(WebUtility.UrlEncode));
}
