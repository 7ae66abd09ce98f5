using System.Net;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace ChartBuster.Soak;

/// <summary>One file given to the pipeline: a raw upload, or a ready.csv put straight into the ready bucket.</summary>
internal sealed record Upload(string What, string Bucket, string Key);

/// <summary>
/// Where every upload ended: refused by cleaning (its report.json), trained (trained/{dataset}.json: promoted or
/// rejected by the quality gate), dead-lettered (its message in the dead-letter queue), or still in flight.
/// </summary>
internal sealed class Ledger(IAmazonS3 s3, IAmazonSQS sqs)
{
    public const string InFlight = "in flight";

    public List<Upload> Uploads { get; } = [];

    public async Task<Dictionary<Upload, string>> AccountAsync(CancellationToken cancellationToken)
    {
        var reports = new List<(string Source, string DatasetId, string Status, string? Error)>();
        foreach (var key in await KeysAsync("chartbuster-ready", "datasets/", "/report.json", cancellationToken))
        {
            var report = JsonDocument.Parse(await TextAsync("chartbuster-ready", key, cancellationToken)).RootElement;
            reports.Add((report.GetProperty("source").GetString()!, key.Split('/')[1], report.GetProperty("status").GetString()!,
                report.TryGetProperty("error", out var error) ? error.GetString() : null));
        }

        var trained = new Dictionary<string, string>();
        foreach (var key in await KeysAsync("chartbuster-artifacts", "trained/", ".json", cancellationToken))
        {
            var mark = JsonDocument.Parse(await TextAsync("chartbuster-artifacts", key, cancellationToken)).RootElement;
            trained[mark.GetProperty("datasetId").GetString()!] = $"trained: model {mark.GetProperty("modelVersion").GetString()} {mark.GetProperty("status").GetString()}";
        }

        var dead = await DeadLetteredAsync(cancellationToken);
        var outcomes = new Dictionary<Upload, string>();
        foreach (var upload in Uploads)
        {
            if (upload.Bucket == "chartbuster-ready")
            {
                var id = upload.Key.Split('/')[1];
                outcomes[upload] = trained.GetValueOrDefault(id) ?? (dead.Any(k => k.Contains(id, StringComparison.Ordinal)) ? "dead-lettered" : InFlight);
                continue;
            }

            var report = reports.LastOrDefault(r => r.Source == $"s3://{upload.Bucket}/{upload.Key}");
            outcomes[upload] = report.Source is null ? InFlight
                : report.Status != "ready" ? $"refused by cleaning: {report.Error}"
                : trained.GetValueOrDefault(report.DatasetId) ?? (dead.Any(k => k.Contains(report.DatasetId, StringComparison.Ordinal)) ? "dead-lettered" : InFlight);
        }

        return outcomes;
    }

    private async Task<List<string>> KeysAsync(string bucket, string prefix, string suffix, CancellationToken cancellationToken)
    {
        var response = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix }, cancellationToken);
        return [.. (response.S3Objects ?? []).Select(o => o.Key).Where(k => k.EndsWith(suffix, StringComparison.Ordinal))];
    }

    private async Task<string> TextAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        using var response = await s3.GetObjectAsync(bucket, key, cancellationToken);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    /// <summary>The bodies of the messages parked in the dead-letter queue (looked at, left there).</summary>
    private async Task<List<string>> DeadLetteredAsync(CancellationToken cancellationToken)
    {
        try
        {
            var url = (await sqs.GetQueueUrlAsync("chartbuster-training-dlq", cancellationToken)).QueueUrl;
            var messages = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, MaxNumberOfMessages = 10, VisibilityTimeout = 1, WaitTimeSeconds = 1 }, cancellationToken);
            return [.. (messages.Messages ?? []).Select(m => WebUtility.UrlDecode(m.Body))];
        }
        catch (QueueDoesNotExistException)
        {
            return [];
        }
    }
}
