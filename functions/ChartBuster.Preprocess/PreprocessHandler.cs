using ChartBuster.Songs.Events;
using System.Text.Json;
using ChartBuster.Preprocess.Runtime;

namespace ChartBuster.Preprocess;

/// <summary>The Lambda handler: an S3 event in, one <see cref="RawSongFileProcessor"/> call per record.</summary>
public sealed class PreprocessHandler(RawSongFileProcessor processor)
{
    public async Task<byte[]> HandleAsync(LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var notification = JsonSerializer.Deserialize(invocation.Payload, S3EventJsonContext.Default.S3EventNotification);
        if (notification?.Records is not { } records)
        {
            throw new InvalidDataException("The event is not an S3 event notification: it has no Records.");
        }

        var results = new List<PreprocessResult>(records.Count);
        foreach (var record in records)
        {
            results.Add(await processor.ProcessAsync(record, cancellationToken));
        }

        return JsonSerializer.SerializeToUtf8Bytes(new PreprocessResponse(results), FunctionJsonContext.Default.PreprocessResponse);
    }
}
