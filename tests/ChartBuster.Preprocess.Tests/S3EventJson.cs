using ChartBuster.Songs.Events;
using System.Net;
using System.Text;
using System.Text.Json;

namespace ChartBuster.Preprocess.Tests;

/// <summary>The ObjectCreated notification exactly as S3 sends it to Lambda (keys URL-encoded, spaces as '+').</summary>
internal static class S3EventJson
{
    public static string EncodeKey(string key) => string.Join('/', key.Split('/').Select(WebUtility.UrlEncode));

    public static byte[] For(params (string Bucket, string Key, string ETag, long Size)[] objects)
    {
        var output = new MemoryStream();
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteStartArray("Records");
            foreach (var (bucket, key, etag, size) in objects)
            {
                json.WriteStartObject();
                json.WriteString("eventVersion", "2.1");
                json.WriteString("eventSource", "aws:s3");
                json.WriteString("awsRegion", "us-east-1");
                json.WriteString("eventTime", "2026-11-23T12:00:00.000Z");
                json.WriteString("eventName", "ObjectCreated:CompleteMultipartUpload");
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
                json.WriteString("configurationId", "raw-song-files");
                json.WriteStartObject("bucket");
                json.WriteString("name", bucket);
                json.WriteStartObject("ownerIdentity");
                json.WriteString("principalId", "A3NL1KOZZKExample");
                json.WriteEndObject();
                json.WriteString("arn", $"arn:aws:s3:::{bucket}");
                json.WriteEndObject();
                json.WriteStartObject("object");
                json.WriteString("key", EncodeKey(key));
                json.WriteNumber("size", size);
                json.WriteString("eTag", etag.Trim('"'));
                json.WriteString("sequencer", "0055AED6DCD90281E5");
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return output.ToArray();
    }

    public static S3EventRecord Record(string bucket, string key, string etag = "0123456789abcdef0123456789abcdef") =>
        JsonSerializer.Deserialize(For((bucket, key, etag, 100)), S3EventJsonContext.Default.S3EventNotification)!.Records![0];

    public static string Text(byte[] json) => Encoding.UTF8.GetString(json);
}
