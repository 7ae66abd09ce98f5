using System.Globalization;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using ChartBuster.Songs.Journeys;

namespace ChartBuster.LocalWiring;

/// <summary>
/// Tells the terminal what the journey records in the ready bucket tell the site: each training stage as a line, and
/// each outcome that notifies in AWS (a refusal, a promotion, a gate rejection, a dead letter) as the very sentence the
/// EventBridge rule sends to the events topic. Plays EventBridge + SNS locally, the way the player plays S3 notifications.
/// </summary>
public sealed class JourneyReporter(IAmazonS3 s3, LocalResources resources, WiringState state, string siteUrl, Action<string> say)
{
    /// <summary>What the function already tells in its own lines (the player reads its response).</summary>
    private static readonly HashSet<string> s_toldByThePlayer = [JourneyStages.Received, JourneyStages.Prepared, JourneyStages.Refused, JourneyStages.PreprocessFailed];

    /// <summary>The alarm on the function's failure queue, as its SNS message would say it.</summary>
    public static string PreprocessAlarm(string key) =>
        $"ChartBuster alarm: an upload failed preprocessing 3 times ({key}); in AWS its S3 event waits in the function's failure queue";

    public async Task ReportAsync(CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = resources.ReadyBucket, Prefix = JourneyKeys.RecordsRoot };
        var fresh = new List<JourneyRecord>();
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request, cancellationToken);
            foreach (var item in page.S3Objects ?? [])
            {
                if (JourneyKeys.TryParseRecord(item.Key, out _, out _) && !state.JourneysReported.Contains(item.Key) && await ReadAsync(item.Key, cancellationToken) is { } record)
                {
                    fresh.Add(record);
                }
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        foreach (var record in fresh.OrderBy(r => r.At))
        {
            var key = JourneyKeys.Record(record.DatasetId, record.Name);
            state.JourneysReported.Add(key);
            if (!s_toldByThePlayer.Contains(record.Stage))
            {
                say($"training    dataset {record.DatasetId}: {record.Summary}");
            }

            if (JourneyNotifications.For(key) is { } notification)
            {
                say("event       " + notification.Sentence(key, record.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), siteUrl));
            }
        }
    }

    private async Task<JourneyRecord?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s3.GetObjectAsync(resources.ReadyBucket, key, cancellationToken);
            return await JsonSerializer.DeserializeAsync(response.ResponseStream, JourneyJsonContext.Default.JourneyRecord, cancellationToken);
        }
        catch (JsonException)
        {
            return null; // not ours to judge: the site skips it too
        }
    }
}
