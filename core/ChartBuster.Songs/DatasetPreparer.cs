using System.Diagnostics;
using System.Text.Json;
using ChartBuster.Songs.Files;

namespace ChartBuster.Songs;

/// <summary>
/// Turns one raw song file into a prepared dataset: cleaned.csv, rejects.csv, report.json, and ready.csv
/// last (only when the file passes), so whatever watches for ready.csv sees a complete dataset or nothing.
/// The Lambda and the command line both run exactly this.
/// </summary>
public sealed class DatasetPreparer(CleaningOptions options)
{
    private readonly SongCleaner _cleaner = new(options);

    /// <param name="openInput">Opens the raw bytes; called once per pass (two, more for a file with more songs than the
    /// duplicate index holds at once), it must return the same content.</param>
    /// <param name="sizeHint">The raw size in bytes, when known, to size the duplicate index up front.</param>
    public async Task<CleaningReport> PrepareAsync(
        Func<CancellationToken, Task<Stream>> openInput,
        string sourceName,
        string datasetId,
        IDatasetStore store,
        CancellationToken cancellationToken,
        long? sizeHint = null)
    {
        ArgumentNullException.ThrowIfNull(openInput);
        ArgumentNullException.ThrowIfNull(store);
        var clock = Stopwatch.StartNew();
        var scan = await ScanAsync(openInput, sourceName, DatasetFileNames.IsGzip(sourceName) ? null : sizeHint, cancellationToken);
        var report = scan.Report;
        report.DatasetId = datasetId;
        while (scan.NeedsAnotherPass)
        {
            await using var input = await OpenDecodedAsync(openInput, sourceName, cancellationToken);
            _cleaner.IndexPartition(scan, input);
        }

        if (scan.Header is not null)
        {
            await WriteRowsAsync(scan, openInput, sourceName, store, clock, cancellationToken);
        }
        else
        {
            report.ElapsedMilliseconds = clock.ElapsedMilliseconds;
            await WriteReportAsync(report, store, cancellationToken);
        }

        return report;
    }

    private async Task<SongFileScan> ScanAsync(
        Func<CancellationToken, Task<Stream>> openInput, string sourceName, long? sizeHint, CancellationToken cancellationToken)
    {
        try
        {
            await using var input = await OpenDecodedAsync(openInput, sourceName, cancellationToken);
            return _cleaner.Scan(input, sourceName, sizeHint);
        }
        catch (UnreadableSongFileException e)
        {
            var report = new CleaningReport { Source = sourceName, MaxRejectedShare = options.MaxRejectedShare };
            report.Refuse(e.Message);
            return SongFileScan.Refused(report);
        }
    }

    private static async Task WriteRowsAsync(
        SongFileScan scan,
        Func<CancellationToken, Task<Stream>> openInput,
        string sourceName,
        IDatasetStore store,
        Stopwatch clock,
        CancellationToken cancellationToken)
    {
        var report = scan.Report;
        await using var cleaned = store.Create(DatasetFileNames.Cleaned);
        await using var rejects = store.Create(DatasetFileNames.Rejects);
        await using var ready = report.IsReady ? store.Create(DatasetFileNames.Ready) : null;
        await using (var input = await OpenDecodedAsync(openInput, sourceName, cancellationToken))
        {
            await SongCleaner.WriteAsync(scan, input, cleaned.Content, rejects.Content, ready?.Content, cancellationToken);
        }

        await cleaned.CommitAsync(cancellationToken);
        await rejects.CommitAsync(cancellationToken);
        report.Outputs.AddRange([DatasetFileNames.Cleaned, DatasetFileNames.Rejects, DatasetFileNames.Report]);
        if (ready is not null)
        {
            report.Outputs.Add(DatasetFileNames.Ready);
        }

        report.ElapsedMilliseconds = clock.ElapsedMilliseconds;
        await WriteReportAsync(report, store, cancellationToken);
        if (ready is not null)
        {
            await ready.CommitAsync(cancellationToken);
        }
    }

    private static async Task WriteReportAsync(CleaningReport report, IDatasetStore store, CancellationToken cancellationToken)
    {
        if (!report.Outputs.Contains(DatasetFileNames.Report))
        {
            report.Outputs.Add(DatasetFileNames.Report);
        }

        await using var file = store.Create(DatasetFileNames.Report);
        await JsonSerializer.SerializeAsync(file.Content, report, SongJsonContext.Default.CleaningReport, cancellationToken);
        await file.CommitAsync(cancellationToken);
    }

    private static async Task<Stream> OpenDecodedAsync(
        Func<CancellationToken, Task<Stream>> openInput, string sourceName, CancellationToken cancellationToken)
    {
        var raw = await openInput(cancellationToken);
        try
        {
            return SongFileDecoder.Open(raw, sourceName);
        }
        catch
        {
            await raw.DisposeAsync();
            throw;
        }
    }
}
