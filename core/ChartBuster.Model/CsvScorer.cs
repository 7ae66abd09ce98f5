using System.Buffers;
using System.Diagnostics;
using ChartBuster.Songs;
using ChartBuster.Songs.Csv;
using ChartBuster.Songs.Files;
using ChartBuster.Model.Scoring;
using Microsoft.ML;

namespace ChartBuster.Model;

public sealed record ScoringSummary(long RowsRead, long RowsScored, long RowsRejected, IReadOnlyDictionary<string, long> RejectedByReason)
{
    /// <summary>Time spent in the model (its evaluator: feature vector, trees, calibration; compiled or ML.NET), the rest being reading, checking and writing.</summary>
    public TimeSpan ModelTime { get; init; }
}

/// <summary>A file that cannot be scored; the message is for the person who gave it and never names the file.</summary>
public sealed class UnscorableFileException(string message) : FormatException(message);

/// <summary>
/// Scores a song CSV (raw, cleaned or ready, optionally .csv.gz: only the audio features are required) with a model
/// and writes every input row back with <c>hit_probability</c>, <c>predicted_hit</c> and <c>reject_reason</c> (rows
/// that break the cleaning rules get a reason and no prediction). Works in chunks bounded in rows and in bytes, so
/// memory does not grow with the file or with the width of its rows. Cells echoed from the input are neutralized
/// for spreadsheets (<see cref="CsvRecordWriter.WriteUntrustedField"/>). Throws a <see cref="FormatException"/> for a
/// file that cannot be scored (<see cref="UnscorableFileException"/>, <see cref="UnreadableSongFileException"/>,
/// <see cref="CsvRecordTooLongException"/>).
/// </summary>
public sealed class CsvScorer(ModelEvaluator evaluator)
{
    /// <summary>A scorer that compiles <paramref name="model"/> first (<see cref="ModelEvaluator"/>); a served model has its evaluator ready.</summary>
    public CsvScorer(MLContext ml, ITransformer model)
        : this(new ModelEvaluator(ml, model))
    {
    }

    private const int ChunkRows = 8192;
    private const int ChunkBytes = 1 << 20;
    private readonly Stopwatch _modelClock = new();

    /// <param name="maxRows">More rows than this refuse the file (the web app's bound); null: no limit.</param>
    public ScoringSummary Score(Stream input, string sourceName, Stream output, long? maxRows = null)
    {
        using var text = SongFileDecoder.Open(input, sourceName, leaveOpen: true);
        var reader = new CsvRecordReader(text);
        if (!reader.Read())
        {
            throw new UnscorableFileException("The file is empty.");
        }

        var header = SongHeader.Read(reader, requireTarget: false);
        if (!header.IsUsable)
        {
            throw new UnscorableFileException(header.ForeignSeparator is null && header.RepeatedColumns.Count == 0
                ? $"The file cannot be scored: missing column(s) {string.Join(", ", header.MissingColumns)}."
                : header.Problem());
        }

        using var writer = new CsvRecordWriter(output);
        for (var i = 0; i < reader.FieldCount; i++)
        {
            writer.WriteUntrustedField(reader[i]);
        }

        writer.WriteRecord(["hit_probability", "predicted_hit", "reject_reason"]);
        var rows = new SongRowReader(header, Decades.FromFileName(sourceName));
        var chunk = new Chunk();
        var reasons = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var reasonTexts = new Dictionary<(RejectReason, SongColumn?), string>();
        long read = 0, scored = 0;
        var song = default(SongNumbers);
        while (reader.Read())
        {
            if (++read > maxRows)
            {
                throw new UnscorableFileException($"The file has more than {maxRows:N0} rows; split it into files of at most {maxRows:N0} rows.");
            }

            if (rows.TryRead(reader, ref song, out var rejection))
            {
                chunk.Add(reader, song);
                scored++;
            }
            else
            {
                var code = rejection.Reason.Code();
                if (!reasonTexts.TryGetValue((rejection.Reason, rejection.Column), out var reason))
                {
                    reason = rejection.Column is { } c ? $"{code}: {SongSchema.NameOf(c)}" : code;
                    reasonTexts[(rejection.Reason, rejection.Column)] = reason;
                }

                reasons[code] = reasons.GetValueOrDefault(code) + 1;
                chunk.Add(reader, reason);
            }

            if (chunk.Rows.Count == ChunkRows || chunk.Bytes >= ChunkBytes)
            {
                Flush(chunk, writer);
            }
        }

        Flush(chunk, writer);
        return new ScoringSummary(read, scored, read - scored, reasons) { ModelTime = _modelClock.Elapsed };
    }

    private void Flush(Chunk chunk, CsvRecordWriter writer)
    {
        _modelClock.Start();
        evaluator.Predict(chunk.Songs, chunk.Probabilities);
        _modelClock.Stop();
        var next = 0;
        foreach (var row in chunk.Rows)
        {
            for (var f = row.FirstField; f < row.FirstField + row.FieldCount; f++)
            {
                writer.WriteUntrustedField(chunk.Field(f));
            }

            if (row.Reason is not null)
            {
                writer.WriteEmpty();
                writer.WriteEmpty();
                writer.WriteField(row.Reason!);
            }
            else
            {
                var p = chunk.Probabilities[next++];
                writer.WriteNumber(p);
                writer.WriteInteger(HitThreshold.IsHit(p) ? 1 : 0);
                writer.WriteEmpty();
            }

            writer.EndRecord();
        }

        chunk.Clear();
    }

    /// <summary>Rows waiting for one batched prediction: their fields in one reused buffer, not an array per field; the songs and their probabilities in reused arrays.</summary>
    private sealed class Chunk
    {
        private readonly ArrayBufferWriter<byte> _bytes = new(1 << 16);
        private readonly List<int> _fieldEnds = [];
        private readonly SongNumbers[] _songs = new SongNumbers[ChunkRows];
        private readonly double[] _probabilities = new double[ChunkRows];
        private int _songCount;

        public List<(int FirstField, int FieldCount, string? Reason)> Rows { get; } = [];

        public int Bytes => _bytes.WrittenCount;

        /// <summary>The songs to score, in row order.</summary>
        public ReadOnlyMemory<SongNumbers> Songs => _songs.AsMemory(0, _songCount);

        public Span<double> Probabilities => _probabilities.AsSpan(0, _songCount);

        public void Add(CsvRecordReader reader, in SongNumbers song)
        {
            _songs[_songCount++] = song;
            Add(reader, (string?)null);
        }

        public void Add(CsvRecordReader reader, string? reason)
        {
            Rows.Add((_fieldEnds.Count, reader.FieldCount, reason));
            for (var i = 0; i < reader.FieldCount; i++)
            {
                _bytes.Write(reader[i]);
                _fieldEnds.Add(_bytes.WrittenCount);
            }
        }

        public ReadOnlySpan<byte> Field(int index) =>
            _bytes.WrittenSpan[(index == 0 ? 0 : _fieldEnds[index - 1]).._fieldEnds[index]];

        public void Clear()
        {
            _bytes.ResetWrittenCount();
            _fieldEnds.Clear();
            Rows.Clear();
            _songCount = 0;
        }
    }
}
