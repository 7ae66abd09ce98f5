using ChartBuster.Songs.Events;

namespace ChartBuster.Training.Tests;

/// <summary>The ObjectCreated notification S3 delivers to SQS for a ready.csv (keys URL-encoded).</summary>
internal static class S3Notification
{
    public static byte[] For(string bucket, string key) =>
        S3EventJson.ObjectCreated(
            [new S3ObjectCreated(bucket, key, 1024, "d41d8cd98f00b204e9800998ecf8427e")],
            new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero),
            configurationId: "ready-csv");
}
