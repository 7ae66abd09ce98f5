using System.Globalization;
using System.Net;
using System.Text.Json;

namespace ChartBuster.Songs.Events;

/// <summary>One created object to announce.</summary>
public sealed record S3ObjectCreated(string Bucket, string Key, long Size, string ETag);

/// <summary>
/// Writes the event notification JSON S3 sends for ObjectCreated events (event structure version 2.1), field for
/// field, from the same <see cref="S3EventNotification"/> types the function and the worker read: the local stack
/// announces files with it and the tests feed it to the function and the worker. Source-generated, so AOT-safe.
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
        var records = objects.Select(item => Record(item, time, eventName, configurationId, region)).ToList();
        return JsonSerializer.SerializeToUtf8Bytes(new S3EventNotification(records), S3EventJsonContext.Default.S3EventNotification);
    }

    private static S3EventRecord Record(S3ObjectCreated item, DateTimeOffset time, string eventName, string configurationId, string region) =>
        new("2.1", "aws:s3", region, time, eventName, new S3Entity(
            "1.0",
            configurationId,
            new S3BucketEntity(item.Bucket, $"arn:aws:s3:::{item.Bucket}") { OwnerIdentity = new S3Principal("A3NL1KOZZKExample") },
            new S3ObjectEntity(EncodeKey(item.Key), item.Size, item.ETag.Trim('"'), null, time.UtcTicks.ToString("X16", CultureInfo.InvariantCulture))))
        {
            UserIdentity = new S3Principal("AWS:AIDAEXAMPLE"),
            RequestParameters = new S3RequestParameters("127.0.0.1"),
            ResponseElements = new S3ResponseElements("C3D13FE58DE4C810", "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD"),
        };
}
