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

    [Fact]
    public void The_written_event_has_every_field_of_the_S3_document_in_its_order()
    {
        var json = S3EventJson.ObjectCreated([new S3ObjectCreated("ready", "datasets/d1/ready.csv", 10, "\"e1\"")], DateTimeOffset.UnixEpoch, configurationId: "ready-csv");

        Assert.Equal(
            "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\",\"eventTime\":\"1970-01-01T00:00:00.000Z\"," +
            "\"eventName\":\"ObjectCreated:Put\",\"userIdentity\":{\"principalId\":\"AWS:AIDAEXAMPLE\"},\"requestParameters\":{\"sourceIPAddress\":\"127.0.0.1\"}," +
            "\"responseElements\":{\"x-amz-request-id\":\"C3D13FE58DE4C810\",\"x-amz-id-2\":\"FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD\"}," +
            "\"s3\":{\"s3SchemaVersion\":\"1.0\",\"configurationId\":\"ready-csv\",\"bucket\":{\"name\":\"ready\",\"arn\":\"arn:aws:s3:::ready\",\"ownerIdentity\":{\"principalId\":\"A3NL1KOZZKExample\"}}," +
            "\"object\":{\"key\":\"datasets/d1/ready.csv\",\"size\":10,\"eTag\":\"e1\",\"sequencer\":\"089F7FF5F7B58000\"}}}]}",
            Encoding.UTF8.GetString(json));
    }

    [Fact]
    public void The_test_event_S3_sends_when_a_notification_is_configured_is_told_apart_from_an_event()
    {
        var test = "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":\"2026-11-23T12:00:00.000Z\",\"Bucket\":\"ready\",\"RequestId\":\"R1\",\"HostId\":\"H1\"}"u8.ToArray();
        var created = S3EventJson.ObjectCreated([new S3ObjectCreated("ready", "datasets/d1/ready.csv", 10, "e1")], DateTimeOffset.UnixEpoch);

        var testEvent = JsonSerializer.Deserialize(test, S3EventJsonContext.Default.S3EventNotification)!;
        var createdEvent = JsonSerializer.Deserialize(created, S3EventJsonContext.Default.S3EventNotification)!;

        Assert.True(testEvent.IsTestEvent);
        Assert.Null(testEvent.Records);
        Assert.False(createdEvent.IsTestEvent);
        Assert.Equal(DateTimeOffset.UnixEpoch, createdEvent.Records![0].EventTime);
    }
}
