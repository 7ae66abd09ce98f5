using ChartBuster.Songs.Csv;

namespace ChartBuster.Songs;

/// <summary>
/// Cleans a song CSV in streaming passes, usually one. <see cref="ScanAsync"/> validates every row and indexes songs;
/// given the outputs, it writes cleaned, rejected and model-ready rows in the same pass, as each row's fate is settled
/// the moment it is read: invalid, the first copy of its song, or a repeat. Only two things can make a row already
/// written wrong, and then the pass stops writing and goes on as an index only (<see cref="SongFileScan.OutputsWritten"/>
/// false; the caller abandons those outputs): a later copy of a song with the other target (every copy is dropped, the
/// first one included), and more songs than the duplicate index holds at once (it is split into hash partitions,
/// each indexed by an <see cref="IndexPartition"/> pass, light: uri, decade and target of the rows already known valid).
/// <see cref="WriteAsync"/> then reads the input again and writes the outputs from the complete index, without
/// validating or looking up again what the first pass settled. Either way the counts, and the decision to refuse the
/// file, are known when the outputs are complete, before any of them is committed.
/// Memory holds one buffer, two bits per row and the bounded duplicate index, never the rows.
/// </summary>
public sealed class SongCleaner
{
    private readonly CleaningOptions _options;

    public SongCleaner(CleaningOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>
    /// Whether a file of this size may be cleaned in one pass: its songs likely fit in one partition of the index
    /// (a larger file would stop writing part way, so it goes straight to the passes that index before writing).
    /// </summary>
    public bool MayWriteInOnePass(long? sizeHint) => ExpectedRows(sizeHint) <= DuplicateIndex.SongsPerPartition(_options.MaxDuplicateIndexBytes);

    /// <summary>
    /// The first pass: validates every row and indexes songs; with <paramref name="outputs"/>, also writes them
    /// (<see cref="SongFileScan.OutputsWritten"/> says whether they are complete and right).
    /// The outputs are written with WriteAsync, 64 KiB at a time per file, never synchronously: they may be uploads.
    /// </summary>
    /// <param name="sizeHint">The input's size in bytes when known: sizes the duplicate index up front.</param>
    public async Task<SongFileScan> ScanAsync(Stream input, string sourceName, long? sizeHint, CleaningStreams? outputs, CancellationToken cancellationToken)
    {
        var report = new CleaningReport { Source = sourceName, MaxRejectedShare = _options.MaxRejectedShare };
        var reader = new CsvRecordReader(input);
        try
        {
            if (!reader.Read())
            {
                report.Refuse("The file is empty: it has no header line.");
                return SongFileScan.Refused(report);
            }

            var header = SongHeader.Read(reader, _options.RequireTarget);
            report.MissingColumns.AddRange(header.MissingColumns);
            report.ExtraColumns.AddRange(header.ExtraColumns);
            report.ExtraColumnCount = header.ExtraColumnCount;
            if (!header.IsUsable)
            {
                report.Refuse(header.Problem());
                return SongFileScan.Refused(report);
            }

            var fileDecade = Decades.FromFileName(sourceName);
            report.DecadeSource = header.Has(SongColumn.Decade) ? "column"
                : fileDecade != Decades.Unknown ? "file name" : "unknown";
            var index = new DuplicateIndex(ExpectedRows(sizeHint), _options.MaxDuplicateIndexBytes);
            var rows = new SongRowReader(header, fileDecade);
            bool written;
            using (var output = outputs is null ? null : new CleanedOutput(header, outputs.Cleaned, outputs.Rejects, outputs.Ready, callerFlushesAsync: true))
            {
                written = await IndexRowsAsync(reader, rows, report, index, output, cancellationToken);
            }

            report.BytesRead = reader.BytesConsumed;
            report.BlankLinesSkipped = reader.BlankLinesSkipped;
            var scan = new SongFileScan(report, header, fileDecade, index) { OutputsWritten = written };
            JudgeWhenIndexed(scan);
            return scan;
        }
        catch (CsvRecordTooLongException e)
        {
            report.Refuse(e.Message);
            return SongFileScan.Refused(report);
        }
    }

    /// <summary>
    /// A light pass over the same input for the next hash partition of the songs (<see cref="SongFileScan.NeedsAnotherPass"/>):
    /// reads only uri, decade and target, and only of the rows the first pass found valid.
    /// </summary>
    public void IndexPartition(SongFileScan scan, Stream input)
    {
        ArgumentNullException.ThrowIfNull(scan);
        if (!scan.NeedsAnotherPass)
        {
            throw new InvalidOperationException("Every partition of the duplicate index is done.");
        }

        var reader = new CsvRecordReader(input);
        reader.Read();
        var rows = new SongRowReader(scan.Header!, scan.FileDecade);
        var index = scan.Index;
        long row = 0;
        for (; reader.Read(); row++)
        {
            if (index.Fates.Get(row) != RowFate.Invalid)
            {
                index.Observe(row, DuplicateIndex.Key(rows.Uri(reader), rows.DecadeOfValid(reader)), rows.TargetOfValid(reader));
            }
        }

        if (row != scan.Report.RowsRead)
        {
            throw new InvalidDataException($"The input changed between passes: first read {scan.Report.RowsRead} rows, then {row}.");
        }

        index.EndPartition();
        JudgeWhenIndexed(scan);
    }

    /// <summary>
    /// Writing pass: cleaned.csv and rejects.csv, and ready.csv when <paramref name="ready"/> is given; completes the
    /// report's duplicate and conflicting-target counts. Throws when the input no longer matches what the first pass counted.
    /// The outputs are written with WriteAsync, 64 KiB at a time per file, never synchronously: they may be uploads.
    /// </summary>
    public static async Task WriteAsync(SongFileScan scan, Stream input, Stream cleaned, Stream rejects, Stream? ready, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scan);
        if (scan.Header is null)
        {
            throw new InvalidOperationException("A refused header has nothing to write.");
        }

        if (scan.NeedsAnotherPass)
        {
            throw new InvalidOperationException("The duplicate index has partitions still to index.");
        }

        var reader = new CsvRecordReader(input);
        reader.Read();
        using var output = new CleanedOutput(scan.Header, cleaned, rejects, ready, callerFlushesAsync: true);
        var rows = new SongRowReader(scan.Header, scan.FileDecade);
        var index = scan.Index;
        var song = default(SongNumbers);
        long kept = 0, invalid = 0, duplicates = 0, conflicting = 0;
        for (long row = 0; reader.Read(); row++)
        {
            var fate = index.Fates.Get(row);
            if (fate == RowFate.Invalid)
            {
                // Rejected rows are few: validating them again gives the reason for rejects.csv.
                if (rows.TryRead(reader, ref song, out var rejection))
                {
                    throw new InvalidDataException($"The input changed between passes: line {reader.LineNumber} is valid now.");
                }

                output.WriteReject(reader, rejection);
                invalid++;
            }
            else if (index.HasConflicts && index.IsConflicting(DuplicateIndex.Key(rows.Uri(reader), rows.DecadeOfValid(reader))))
            {
                output.WriteReject(reader, new Rejection(SongColumn.Target, RejectReason.ConflictingTarget));
                conflicting++;
            }
            else if (fate == RowFate.Repeat)
            {
                output.WriteReject(reader, new Rejection(SongColumn.Uri, RejectReason.Duplicate));
                duplicates++;
            }
            else if (fate == RowFate.First)
            {
                rows.ReadValid(reader, ref song);
                output.WriteKept(reader, song);
                kept++;
            }
            else
            {
                throw new InvalidOperationException($"Line {reader.LineNumber} was never indexed.");
            }

            if (output.IsFull)
            {
                await output.FlushAsync(cancellationToken);
            }
        }

        await output.FlushAsync(cancellationToken);
        var report = scan.Report;
        if (kept != report.RowsKept || invalid != report.RowsRejected || kept + invalid + duplicates + conflicting != report.RowsRead)
        {
            throw new InvalidDataException(
                $"The input changed between passes: first read {report.RowsRead} rows ({report.RowsKept} kept), then {kept + invalid + duplicates + conflicting} ({kept}).");
        }

        report.DuplicatesRemoved = duplicates;
        report.ConflictingTargetRowsRemoved = conflicting;
        Count(report, RejectReason.Duplicate, duplicates);
        Count(report, RejectReason.ConflictingTarget, conflicting);
    }

    /// <summary>Real rows take about 150 bytes; guessing a little high avoids rehashing a large table.</summary>
    private static int ExpectedRows(long? sizeHint) => (int)Math.Clamp((sizeHint ?? 0) / 140, 0, 20_000_000);

    /// <summary>
    /// Reads every row: validates it, indexes its song and, while <paramref name="output"/> is given and nothing has
    /// made a written row wrong, writes it. Returns whether the outputs are complete and right.
    /// </summary>
    private static async Task<bool> IndexRowsAsync(
        CsvRecordReader reader, SongRowReader rows, CleaningReport report, DuplicateIndex index, CleanedOutput? output, CancellationToken cancellationToken)
    {
        var song = default(SongNumbers);
        long duplicates = 0;
        while (reader.Read())
        {
            var row = report.RowsRead++;
            // The key first: its slot is fetched from memory (the table is larger than the caches) while the row is validated.
            if (rows.TryEarlyKey(reader, out var key))
            {
                index.Prefetch(key);
            }

            if (!rows.TryRead(reader, ref song, out var rejection))
            {
                report.RowsRejected++;
                Count(report, rejection.Reason, 1);
                output?.WriteReject(reader, rejection);
            }
            else if (output is null)
            {
                index.Observe(row, key, song[SongColumn.Target]);
            }
            else
            {
                switch (index.Add(row, key, song[SongColumn.Target]))
                {
                    case Sighting.First:
                        output.WriteKept(reader, song);
                        break;
                    case Sighting.Repeat:
                        output.WriteReject(reader, new Rejection(SongColumn.Uri, RejectReason.Duplicate));
                        duplicates++;
                        break;
                    default:
                        // A copy already written as kept is dropped after all, or rows will be settled by later passes:
                        // what is written is wrong, so the rest of the pass only indexes (WriteAsync writes it all).
                        output = null;
                        break;
                }
            }

            if (output is { IsFull: true })
            {
                await output.FlushAsync(cancellationToken);
            }
        }

        index.EndPartition();
        if (output is null)
        {
            return false;
        }

        await output.FlushAsync(cancellationToken);
        report.DuplicatesRemoved = duplicates;
        Count(report, RejectReason.Duplicate, duplicates);
        return true;
    }

    /// <summary>
    /// Once every partition is indexed: the rows kept (one per song whose copies agree on target) and whether the
    /// file is refused. How the other valid rows split into duplicates and conflicting copies is counted while writing.
    /// </summary>
    private void JudgeWhenIndexed(SongFileScan scan)
    {
        var (report, index) = (scan.Report, scan.Index);
        if (scan.NeedsAnotherPass)
        {
            return;
        }

        report.RowsKept = index.Songs - index.ConflictingSongs;
        report.RejectedShare = report.RowsRead == 0 ? 0 : Math.Round((double)report.RowsRejected / report.RowsRead, 6);
        if (report.RowsRead == 0)
        {
            report.Refuse("The file has a header but no data rows.");
        }
        else if (report.RejectedShare > _options.MaxRejectedShare)
        {
            report.Refuse(
                $"{report.RejectedShare:P1} of the rows are invalid, over the {_options.MaxRejectedShare:P0} limit. rejects.csv lists each row with its line and reason.");
        }
        else if (report.RowsKept == 0)
        {
            report.Refuse("No row survived cleaning. rejects.csv lists each row with its line and reason.");
        }
    }

    private static void Count(CleaningReport report, RejectReason reason, long rows)
    {
        if (rows == 0)
        {
            return;
        }

        var code = reason.Code();
        report.RejectedByReason[code] = report.RejectedByReason.GetValueOrDefault(code) + rows;
    }
}

/// <summary>The streams a one-pass cleaning writes to (<see cref="SongCleaner.ScanAsync"/>).</summary>
public sealed record CleaningStreams(Stream Cleaned, Stream Rejects, Stream Ready);

/// <summary>What the indexing passes learned: the report, the column map and the duplicate index.</summary>
public sealed class SongFileScan
{
    internal SongFileScan(CleaningReport report, SongHeader? header, int fileDecade, DuplicateIndex index)
    {
        Report = report;
        Header = header;
        FileDecade = fileDecade;
        Index = index;
    }

    public CleaningReport Report { get; }

    public SongHeader? Header { get; }

    public int FileDecade { get; }

    /// <summary>
    /// True when the first pass wrote the outputs it was given, complete and right: no later pass is needed. False
    /// when it had none, or stopped writing (a conflicting copy of a song already written, or more songs than one
    /// partition of the index holds): the caller abandons what was written and writes again with <see cref="SongCleaner.WriteAsync"/>.
    /// </summary>
    public bool OutputsWritten { get; internal init; }

    /// <summary>True while the file has song partitions that need a light pass (<see cref="SongCleaner.IndexPartition"/>).</summary>
    public bool NeedsAnotherPass => Header is not null && Index.PartitionsDone < Index.Partitions;

    /// <summary>How many passes indexing took (1 unless the file has more songs than the duplicate index holds at once).</summary>
    public int IndexPasses => Index.Partitions;

    internal DuplicateIndex Index { get; }

    internal static SongFileScan Refused(CleaningReport report) => new(report, null, Decades.Unknown, new DuplicateIndex());
}
