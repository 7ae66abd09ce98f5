using System.Diagnostics;
using System.Text.Json;
using ChartBuster.Songs.Files;

namespace ChartBuster.Songs;

/// <summary>
/// Turns one raw song file into a prepared dataset: cleaned.csv, rejects.csv, report.json, and ready.csv
/// last (only when the file passes), so whatever watches for ready.csv sees a complete dataset or nothing.
/// Usually one pass writes every file while it reads (ready.csv included, uncommitted: abandoned if the file is
/// refused); when that pass cannot settle every row (<see cref="SongFileScan.OutputsWritten"/>) its files are
/// abandoned and a writing pass follows. The Lambda and the command line both run exactly this.
/// </summary>
public sealed class DatasetPreparer(CleaningOptions options)
{
    private readonly SongCleaner _cleaner = new(options);

    /// <param name="openInput">Opens the raw bytes; called once per pass (usually one; two when copies of a song disagree
    /// on target, more for a file with more songs than the duplicate index holds at once), it must return the same content.</param>
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
        sizeHint = DatasetFileNames.IsGzip(sourceName) ? null : sizeHint;
        var outputs = _cleaner.MayWriteInOnePass(sizeHint) ? new DatasetOutputs(store) : null;
        SongFileScan scan;
        try
        {
            scan = await ScanAsync(openInput, sourceName, sizeHint, outputs, cancellationToken);
            scan.Report.DatasetId = datasetId;
            if (scan.OutputsWritten)
            {
                await outputs!.CommitAsync(scan.Report, clock, cancellationToken);
                return scan.Report;
            }
        }
        finally
        {
            if (outputs is not null)
            {
                await outputs.DisposeAsync(); // abandons what was not committed, before a later pass writes the same names
            }
        }

        var report = scan.Report;
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
        Func<CancellationToken, Task<Stream>> openInput, string sourceName, long? sizeHint, DatasetOutputs? outputs, CancellationToken cancellationToken)
    {
        try
        {
            await using var input = await OpenDecodedAsync(openInput, sourceName, cancellationToken);
            return await _cleaner.ScanAsync(input, sourceName, sizeHint, outputs?.Streams, cancellationToken);
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
        await using var outputs = new DatasetOutputs(store);
        await using (var input = await OpenDecodedAsync(openInput, sourceName, cancellationToken))
        {
            var streams = outputs.Streams;
            await SongCleaner.WriteAsync(scan, input, streams.Cleaned, streams.Rejects, scan.Report.IsReady ? streams.Ready : null, cancellationToken);
        }

        await outputs.CommitAsync(scan.Report, clock, cancellationToken);
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

    /// <summary>
    /// cleaned.csv, rejects.csv and ready.csv being written. ready.csv is written whatever the file turns out to be, and
    /// committed last, after report.json, only when the file passes; disposing abandons whatever was not committed.
    /// </summary>
    private sealed class DatasetOutputs(IDatasetStore store) : IAsyncDisposable
    {
        private readonly PendingFile _cleaned = store.Create(DatasetFileNames.Cleaned);
        private readonly PendingFile _rejects = store.Create(DatasetFileNames.Rejects);
        private readonly PendingFile _ready = store.Create(DatasetFileNames.Ready);

        public CleaningStreams Streams => new(_cleaned.Content, _rejects.Content, _ready.Content);

        public async Task CommitAsync(CleaningReport report, Stopwatch clock, CancellationToken cancellationToken)
        {
            await _cleaned.CommitAsync(cancellationToken);
            await _rejects.CommitAsync(cancellationToken);
            report.Outputs.AddRange([DatasetFileNames.Cleaned, DatasetFileNames.Rejects, DatasetFileNames.Report]);
            if (report.IsReady)
            {
                report.Outputs.Add(DatasetFileNames.Ready);
            }

            report.ElapsedMilliseconds = clock.ElapsedMilliseconds;
            await WriteReportAsync(report, store, cancellationToken);
            if (report.IsReady)
            {
                await _ready.CommitAsync(cancellationToken);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _ready.DisposeAsync();
            await _rejects.DisposeAsync();
            await _cleaned.DisposeAsync();
        }
    }
}
