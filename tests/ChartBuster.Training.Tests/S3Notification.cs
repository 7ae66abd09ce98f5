using System.Net;
using System.Text.Json;

namespace ChartBuster.Training.Tests;

/// <summary>The ObjectCreated notification S3 delivers to SQS for a ready.csv (keys URL-encoded).</summary>
internal static class S3Notification
{
    public static byte[] For(string bucket, string key)
    {
        var encoded = string.Join('/', key.Split('/').Select(WebUtility.UrlEncode));
        var document = new
        {
            Records = new[]
            {
                new
                {
                    eventVersion = "2.1", eventSource = "aws:s3", awsRegion = "us-east-1", eventTime = "2026-11-23T12:00:00.000Z",
                    eventName = "ObjectCreated:Put",
                    s3 = new
                    {
                        s3SchemaVersion = "1.0", configurationId = "ready-csv",
                        bucket = new { name = bucket, arn = $"arn:aws:s3:::{bucket}" },
                        @object = new { key = encoded, size = 1024, eTag = "d41d8cd98f00b204e9800998ecf8427e", sequencer = "0055AED6DCD90281E5" },
                    },
                },
            },
        };
        return JsonSerializer.SerializeToUtf8Bytes(document);
    }
}
