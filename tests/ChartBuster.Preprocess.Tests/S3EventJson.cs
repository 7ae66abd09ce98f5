using ChartBuster.Songs.Events;
using System.Text;
using System.Text.Json;
using Shared = ChartBuster.Songs.Events.S3EventJson;

namespace ChartBuster.Preprocess.Tests;

/// <summary>The ObjectCreated notification exactly as S3 sends it to Lambda (a multipart upload; keys URL-encoded, spaces as '+').</summary>
internal static class S3EventJson
{
    public static string EncodeKey(string key) => Shared.EncodeKey(key);

    public static byte[] For(params (string Bucket, string Key, string ETag, long Size)[] objects) =>
        Shared.ObjectCreated(
            objects.Select(o => new S3ObjectCreated(o.Bucket, o.Key, o.Size, o.ETag)),
            new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero),
            "ObjectCreated:CompleteMultipartUpload",
            "raw-song-files");

    public static S3EventRecord Record(string bucket, string key, string etag = "0123456789abcdef0123456789abcdef") =>
        JsonSerializer.Deserialize(For((bucket, key, etag, 100)), S3EventJsonContext.Default.S3EventNotification)!.Records![0];

    public static string Text(byte[] json) => Encoding.UTF8.GetString(json);
}
