using ChartBuster.Songs.Csv;

namespace ChartBuster.Songs;

/// <summary>
/// Cleans a song CSV in two streaming passes. <see cref="Scan"/> validates every row and indexes songs,
/// so every count in the report (and the decision to refuse the file) is known before anything is
/// written; <see cref="Write"/> reads the input again and writes cleaned, rejected and model-ready rows.
/// Memory holds one buffer and the duplicate index, never the rows.
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

    /// <param name="sizeHint">The input's size in bytes when known: sizes the duplicate index up front.</param>
    public SongFileScan Scan(Stream input, string sourceName, long? sizeHint = null)
    {
        var report = new CleaningReport { Source = sourceName, MaxRejectedShare = _options.MaxRejectedShare };
        var reader = new CsvRecordReader(input);
        try
        {
            if (!reader.Read())
            {
                report.Refuse("The file is empty: it has no header line.");
                return new SongFileScan(report, null, Decades.Unknown, new DuplicateIndex());
            }

            var header = SongHeader.Read(reader, _options.RequireTarget);
            report.MissingColumns.AddRange(header.MissingColumns);
            report.ExtraColumns.AddRange(header.ExtraColumns);
            if (!header.IsUsable)
            {
                report.Refuse(DescribeHeaderProblem(header));
                return new SongFileScan(report, null, Decades.Unknown, new DuplicateIndex());
            }

            var fileDecade = Decades.FromFileName(sourceName);
            report.DecadeSource = header.Has(SongColumn.Decade) ? "column"
                : fileDecade != Decades.Unknown ? "file name" : "unknown";
            var index = IndexRows(reader, new SongRowReader(header, fileDecade), report, ExpectedRows(sizeHint));
            report.BytesRead = reader.BytesConsumed;
            report.BlankLinesSkipped = reader.BlankLinesSkipped;
            Judge(report, index);
            return new SongFileScan(report, header, fileDecade, index);
        }
        catch (CsvRecordTooLongException e)
        {
            report.Refuse(e.Message);
            return new SongFileScan(report, null, Decades.Unknown, new DuplicateIndex());
        }
    }

    /// <summary>
    /// Second pass: writes cleaned.csv and rejects.csv, and ready.csv when <paramref name="ready"/> is given.
    /// Throws when the input no longer matches what <see cref="Scan"/> counted.
    /// </summary>
    public static void Write(SongFileScan scan, Stream input, Stream cleaned, Stream rejects, Stream? ready)
    {
        ArgumentNullException.ThrowIfNull(scan);
        if (scan.Header is null)
        {
            throw new InvalidOperationException("A refused header has nothing to write.");
        }

        var reader = new CsvRecordReader(input);
        reader.Read();
        using var output = new CleanedOutput(scan.Header, cleaned, rejects, ready);
        var rows = new SongRowReader(scan.Header, scan.FileDecade);
        var song = default(SongNumbers);
        long kept = 0, dropped = 0;
        for (long row = 0; reader.Read(); row++)
        {
            if (!rows.TryRead(reader, ref song, out var rejection))
            {
                output.WriteReject(reader, rejection);
                dropped++;
                continue;
            }

            var fate = scan.Index.Decide(row, rows.Uri(reader), (int)song[SongColumn.Decade]);
            if (fate != RowFate.Keep)
            {
                output.WriteReject(reader, fate == RowFate.Duplicate
                    ? new Rejection(SongColumn.Uri, RejectReason.Duplicate)
                    : new Rejection(SongColumn.Target, RejectReason.ConflictingTarget));
                dropped++;
                continue;
            }

            output.WriteKept(reader, song);
            kept++;
        }

        var report = scan.Report;
        if (kept != report.RowsKept || kept + dropped != report.RowsRead)
        {
            throw new InvalidDataException(
                $"The input changed between passes: first read {report.RowsRead} rows ({report.RowsKept} kept), then {kept + dropped} ({kept}).");
        }
    }

    /// <summary>Real rows take about 150 bytes; guessing a little high avoids rehashing a large table.</summary>
    private static int ExpectedRows(long? sizeHint) => (int)Math.Clamp((sizeHint ?? 0) / 140, 0, 20_000_000);

    private static DuplicateIndex IndexRows(CsvRecordReader reader, SongRowReader rows, CleaningReport report, int expectedRows)
    {
        var index = new DuplicateIndex(expectedRows);
        var song = default(SongNumbers);
        while (reader.Read())
        {
            if (rows.TryRead(reader, ref song, out var rejection))
            {
                index.Observe(report.RowsRead, rows.Uri(reader), (int)song[SongColumn.Decade], song[SongColumn.Target]);
            }
            else
            {
                report.RowsRejected++;
                Count(report, rejection.Reason, 1);
            }

            report.RowsRead++;
        }

        index.Complete();
        return index;
    }

    private void Judge(CleaningReport report, DuplicateIndex index)
    {
        var (duplicates, conflicting) = (index.Duplicates, index.ConflictingRows);
        report.DuplicatesRemoved = duplicates;
        report.ConflictingTargetRowsRemoved = conflicting;
        Count(report, RejectReason.Duplicate, duplicates);
        Count(report, RejectReason.ConflictingTarget, conflicting);
        report.RowsKept = report.RowsRead - report.RowsRejected - duplicates - conflicting;
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

    private static string DescribeHeaderProblem(SongHeader header)
    {
        var problems = new List<string>();
        if (header.MissingColumns.Count > 0)
        {
            problems.Add($"missing required column(s): {string.Join(", ", header.MissingColumns)}");
        }

        if (header.RepeatedColumns.Count > 0)
        {
            problems.Add($"column(s) given twice: {string.Join(", ", header.RepeatedColumns)}");
        }

        return $"The header cannot be used: {string.Join("; ", problems)}.";
    }
}

/// <summary>What the first pass learned: the report, the column map and the duplicate index.</summary>
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

    internal DuplicateIndex Index { get; }
}
