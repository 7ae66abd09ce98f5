using System.Diagnostics;
using System.Text;
using ChartBuster.Songs;
using ChartBuster.Songs.Csv;
using Microsoft.ML;

namespace ChartBuster.Model;

public sealed record ScoringSummary(long RowsRead, long RowsScored, long RowsRejected, IReadOnlyDictionary<string, long> RejectedByReason)
{
    /// <summary>Time spent in the model (the ML.NET pipeline and its trees), the rest being reading, checking, features and writing.</summary>
    public TimeSpan ModelTime { get; init; }
}

/// <summary>
/// Scores a song CSV (raw, cleaned or ready: only the audio features are required) with a model and writes
/// every input row back with <c>hit_probability</c>, <c>predicted_hit</c> and <c>reject_reason</c> (rows that
/// break the cleaning rules get a reason and no prediction). Works in chunks, so memory does not grow
/// with the file.
/// </summary>
public sealed class CsvScorer(MLContext ml, ITransformer model)
{
    private const int ChunkRows = 8192;
    private readonly Stopwatch _modelClock = new();

    public ScoringSummary Score(Stream input, string sourceName, Stream output)
    {
        var reader = new CsvRecordReader(input);
        if (!reader.Read())
        {
            throw new InvalidDataException($"{sourceName} is empty.");
        }

        var header = SongHeader.Read(reader, requireTarget: false);
        if (!header.IsUsable)
        {
            throw new InvalidDataException($"{sourceName} cannot be scored: missing column(s) {string.Join(", ", header.MissingColumns)}.");
        }

        var names = Enumerable.Range(0, reader.FieldCount).Select(i => Encoding.UTF8.GetString(reader[i])).ToList();
        using var writer = new CsvRecordWriter(output);
        writer.WriteRecord([.. names, "hit_probability", "predicted_hit", "reject_reason"]);
        var rows = new SongRowReader(header, Decades.FromFileName(sourceName));
        var chunk = new List<(byte[][] Fields, SongModelInput? Input, string? Reason)>(ChunkRows);
        var reasons = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long read = 0, scored = 0;
        var song = default(SongNumbers);
        while (reader.Read())
        {
            read++;
            var fields = Enumerable.Range(0, reader.FieldCount).Select(i => reader[i].ToArray()).ToArray();
            if (rows.TryRead(reader, ref song, out var rejection))
            {
                chunk.Add((fields, SongModelInput.FromSong(song), null));
                scored++;
            }
            else
            {
                var reason = rejection.Column is { } c ? $"{rejection.Reason.Code()}: {SongSchema.NameOf(c)}" : rejection.Reason.Code();
                reasons[rejection.Reason.Code()] = reasons.GetValueOrDefault(rejection.Reason.Code()) + 1;
                chunk.Add((fields, null, reason));
            }

            if (chunk.Count == ChunkRows)
            {
                Flush(chunk, writer);
            }
        }

        Flush(chunk, writer);
        return new ScoringSummary(read, scored, read - scored, reasons) { ModelTime = _modelClock.Elapsed };
    }

    private void Flush(List<(byte[][] Fields, SongModelInput? Input, string? Reason)> chunk, CsvRecordWriter writer)
    {
        var inputs = chunk.Where(r => r.Input is not null).Select(r => r.Input!).ToList();
        _modelClock.Start();
        var probabilities = inputs.Count == 0 ? [] : ParallelPrediction.Predict(ml, model, inputs);
        _modelClock.Stop();
        var next = 0;
        foreach (var (fields, input, reason) in chunk)
        {
            foreach (var field in fields)
            {
                writer.WriteField(field);
            }

            if (input is null)
            {
                writer.WriteEmpty();
                writer.WriteEmpty();
                writer.WriteField(reason!);
            }
            else
            {
                var p = probabilities[next++];
                writer.WriteNumber(p);
                writer.WriteInteger(p >= BinaryMetrics.DefaultThreshold ? 1 : 0);
                writer.WriteEmpty();
            }

            writer.EndRecord();
        }

        chunk.Clear();
    }
}
