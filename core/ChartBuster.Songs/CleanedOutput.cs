using System.Text;
using ChartBuster.Songs.Csv;

namespace ChartBuster.Songs;

/// <summary>The three CSV outputs of cleaning and their column layouts.</summary>
internal sealed class CleanedOutput : IDisposable
{
    private readonly SongHeader _header;
    private readonly CsvRecordWriter _cleaned;
    private readonly CsvRecordWriter _rejects;
    private readonly CsvRecordWriter? _ready;
    private readonly SongColumn[] _cleanedColumns;
    private readonly bool _hasTarget;
    private readonly int[] _rawFeatureOrdinals;
    private readonly bool _contractLayout;

    /// <param name="callerFlushesAsync">The caller awaits <see cref="FlushAsync"/> whenever <see cref="IsFull"/>
    /// (<see cref="CsvRecordWriter"/>): nothing is written to the streams synchronously.</param>
    public CleanedOutput(SongHeader header, Stream cleaned, Stream rejects, Stream? ready, bool callerFlushesAsync = false)
    {
        _header = header;
        _hasTarget = header.Has(SongColumn.Target);
        _cleanedColumns = Enum.GetValues<SongColumn>().Where(c => c != SongColumn.Target || _hasTarget).ToArray();
        _rawFeatureOrdinals = [.. SongFeatures.RawColumns.Select(header.OrdinalOf)];
        _contractLayout = _hasTarget && header.FieldCount <= SongSchema.ColumnCount
            && Enumerable.Range(0, header.FieldCount).All(i => header.OrdinalOf((SongColumn)i) == i);
        _cleaned = new CsvRecordWriter(cleaned, callerFlushesAsync);
        _rejects = new CsvRecordWriter(rejects, callerFlushesAsync);
        _ready = ready is null ? null : new CsvRecordWriter(ready, callerFlushesAsync);
        _cleaned.WriteRecord(_cleanedColumns.Select(SongSchema.NameOf));
        _rejects.WriteRecord(RejectColumns);
        _ready?.WriteRecord(ReadyCsv.Columns(_hasTarget));
    }

    public static IReadOnlyList<string> RejectColumns { get; } = ["line", "column", "value", "reason", "uri", "track"];

    public void WriteKept(CsvRecordReader record, in SongNumbers song)
    {
        if (_contractLayout && record.IsSimple && !record.HasPaddedField())
        {
            WriteKeptVerbatim(record, song);
            return;
        }

        foreach (var column in _cleanedColumns)
        {
            if (column == SongColumn.Decade)
            {
                WriteDecade(_cleaned, song);
            }
            else
            {
                _cleaned.WriteField(Field(record, column));
            }
        }

        _cleaned.EndRecord();
        if (_ready is not null)
        {
            WriteReady(_ready, record, song);
        }
    }

    public void WriteReject(CsvRecordReader record, Rejection rejection)
    {
        _rejects.WriteInteger(record.LineNumber);
        _rejects.WriteField(rejection.Column is { } c ? SongSchema.NameOf(c) : "");
        if (rejection.Reason == RejectReason.WrongFieldCount)
        {
            _rejects.WriteField($"{record.FieldCount} fields, expected {_header.FieldCount}");
        }
        else if (rejection.Column is { } column && _header.OrdinalOf(column) is var ordinal && ordinal >= 0 && ordinal < record.FieldCount)
        {
            _rejects.WriteField(record[ordinal]);
        }
        else
        {
            _rejects.WriteEmpty();
        }

        _rejects.WriteField(Encoding.UTF8.GetBytes(rejection.Reason.Code()));
        _rejects.WriteField(FieldOrEmpty(record, SongColumn.Uri));
        _rejects.WriteField(FieldOrEmpty(record, SongColumn.Track));
        _rejects.EndRecord();
    }

    public bool IsFull => _cleaned.IsFull || _rejects.IsFull || _ready is { IsFull: true };

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await _cleaned.FlushAsync(cancellationToken);
        await _rejects.FlushAsync(cancellationToken);
        if (_ready is not null)
        {
            await _ready.FlushAsync(cancellationToken);
        }
    }

    public void Dispose()
    {
        _cleaned.Dispose();
        _rejects.Dispose();
        _ready?.Dispose();
    }

    /// <summary>
    /// The common case (the public files' layout, nothing quoted or padded): the output rows are runs of
    /// the input's bytes, copied whole instead of field by field. Same bytes as the general path.
    /// </summary>
    private void WriteKeptVerbatim(CsvRecordReader record, in SongNumbers song)
    {
        _cleaned.WriteVerbatim(record.FieldRange(0, (int)SongColumn.Target));
        WriteDecade(_cleaned, song);
        _cleaned.EndRecord();
        if (_ready is null)
        {
            return;
        }

        _ready.WriteVerbatim(record[(int)SongColumn.Uri]);
        _ready.WriteVerbatim(record[(int)SongColumn.Artist]);
        _ready.WriteVerbatim(record[(int)SongColumn.Track]);
        WriteDecade(_ready, song);
        _ready.WriteVerbatim(record.FieldRange((int)SongColumn.Danceability, (int)SongColumn.Sections));
        WriteEngineered(_ready, song);
        _ready.WriteVerbatim(record[(int)SongColumn.Target]);
        _ready.EndRecord();
    }

    private static void WriteEngineered(CsvRecordWriter ready, in SongNumbers song)
    {
        Span<double> features = stackalloc double[SongFeatures.EngineeredCount];
        SongFeatures.Compute(song, features);
        ready.WriteNumbers(features);
    }

    private void WriteReady(CsvRecordWriter ready, CsvRecordReader record, in SongNumbers song)
    {
        ready.WriteField(Field(record, SongColumn.Uri));
        ready.WriteField(SongRowReader.Trim(FieldOrEmpty(record, SongColumn.Artist)));
        ready.WriteField(SongRowReader.Trim(FieldOrEmpty(record, SongColumn.Track)));
        WriteDecade(ready, song);
        foreach (var ordinal in _rawFeatureOrdinals)
        {
            ready.WriteField(SongRowReader.Trim(record[ordinal]));
        }

        WriteEngineered(ready, song);
        if (_hasTarget)
        {
            ready.WriteField(Field(record, SongColumn.Target));
        }

        ready.EndRecord();
    }

    private static void WriteDecade(CsvRecordWriter writer, in SongNumbers song)
    {
        var decade = (int)song[SongColumn.Decade];
        if (decade == Decades.Unknown)
        {
            writer.WriteEmpty();
        }
        else
        {
            writer.WriteInteger(decade);
        }
    }

    private ReadOnlySpan<byte> Field(CsvRecordReader record, SongColumn column) =>
        SongRowReader.Trim(record[_header.OrdinalOf(column)]);

    private ReadOnlySpan<byte> FieldOrEmpty(CsvRecordReader record, SongColumn column)
    {
        var ordinal = _header.OrdinalOf(column);
        return ordinal >= 0 && ordinal < record.FieldCount ? record[ordinal] : [];
    }
}
