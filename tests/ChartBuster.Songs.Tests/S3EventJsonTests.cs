using System.Text;
using System.Text.Json;
using ChartBuster.Songs.Events;

namespace ChartBuster.Songs.Tests;

public sealed class S3EventJsonTests
{
    [Fact]
    public void The_event_is_the_S3_notification_shape_with_the_key_form_encoded()
    {
        var json = S3EventJson.ObjectCreated([new S3ObjectCreated("chartbuster-raw", "my songs/hits (2024)+more.csv", 1234, "\"abc123\"")], DateTimeOffset.UnixEpoch);

        var notification = JsonSerializer.Deserialize(json, S3EventJsonContext.Default.S3EventNotification)!;
        var record = Assert.Single(notification.Records!);
        Assert.Equal(("2.1", "aws:s3", "ObjectCreated:Put"), (record.EventVersion, record.EventSource, record.EventName));
        Assert.Equal("chartbuster-raw", record.S3.Bucket.Name);
        Assert.Equal("my+songs/hits+(2024)%2Bmore.csv", record.S3.Item.Key);
        Assert.Equal("abc123", record.S3.Item.ETag);
        Assert.Equal(1234, record.S3.Item.Size);
        Assert.Contains("\"eventTime\":\"1970-01-01T00:00:00.000Z\"", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
    }
}
