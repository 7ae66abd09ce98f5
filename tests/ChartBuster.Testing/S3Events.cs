using System.Text.Json;
using ChartBuster.Songs.Events;

namespace ChartBuster.Testing;

/// <summary>The S3 event notifications the tests feed to the function and the worker, written by the pipeline's own <see cref="S3EventJson"/>.</summary>
public static class S3Events
{
    private static readonly DateTimeOffset s_uploadedAt = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    /// <summary>What S3 sends the function for uploads to the raw bucket (multipart uploads; keys URL-encoded, spaces as '+').</summary>
    public static byte[] Uploaded(params (string Bucket, string Key, string ETag, long Size)[] objects) =>
        S3EventJson.ObjectCreated(
            objects.Select(o => new S3ObjectCreated(o.Bucket, o.Key, o.Size, o.ETag)), s_uploadedAt, "ObjectCreated:CompleteMultipartUpload", "raw-song-files");

    /// <summary>The one record of <see cref="Uploaded"/> for one object, as the function's handler hands it to the processor.</summary>
    public static S3EventRecord UploadRecord(string bucket, string key, string etag = "0123456789abcdef0123456789abcdef") =>
        JsonSerializer.Deserialize(Uploaded((bucket, key, etag, 100)), S3EventJsonContext.Default.S3EventNotification)!.Records![0];

    /// <summary>What S3 delivers to the training queue for a ready.csv.</summary>
    public static byte[] ReadyFile(string bucket, string key) =>
        S3EventJson.ObjectCreated([new S3ObjectCreated(bucket, key, 1024, "d41d8cd98f00b204e9800998ecf8427e")], s_uploadedAt, configurationId: "ready-csv");
}
