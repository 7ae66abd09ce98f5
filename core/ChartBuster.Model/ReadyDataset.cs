using System.Globalization;
using System.Text;
using ChartBuster.Songs;
using ChartBuster.Songs.Csv;

namespace ChartBuster.Model;

/// <summary>
/// Loads a ready.csv (or any training file the cleaner accepts) into training rows. The engineered
/// features are recomputed from the raw values through <see cref="SongFeatures"/> — the same call the
/// web app makes — so training and serving agree to the last bit, not to ready.csv's six decimals.
/// </summary>
public static class ReadyDataset
{
    public static IReadOnlyList<TrainingRow> Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    /// <param name="maxRows">The most rows the caller can train: one more stops the reading (nothing more is held in
    /// memory) with <see cref="DatasetTooLargeException"/>.</param>
    public static IReadOnlyList<TrainingRow> Load(Stream stream, string sourceName, long maxRows = long.MaxValue)
    {
        var reader = new CsvRecordReader(stream);
        if (!reader.Read())
        {
            throw new InvalidDataException($"{sourceName} is empty.");
        }

        var header = SongHeader.Read(reader, requireTarget: false);
        // The artist groups the evaluation splits (songs of one artist never sit on both sides), so a file
        // without it cannot say how the model does on artists it has not seen.
        var identity = new[] { SongColumn.Uri, SongColumn.Artist, SongColumn.Target }.Where(c => !header.Has(c)).Select(SongSchema.NameOf);
        if (!header.IsUsable || identity.Any())
        {
            var missing = header.MissingColumns.Concat(identity);
            throw new InvalidDataException($"{sourceName} cannot train a model: missing column(s) {string.Join(", ", missing)}.");
        }

        var rows = new SongRowReader(header, Decades.FromFileName(sourceName));
        var result = new List<TrainingRow>();
        var song = default(SongNumbers);
        while (reader.Read())
        {
            if (result.Count >= maxRows)
            {
                throw new DatasetTooLargeException(sourceName, maxRows);
            }

            if (!rows.TryRead(reader, ref song, out var rejection) || double.IsNaN(song[SongColumn.Target]))
            {
                throw new InvalidDataException(
                    $"{sourceName} line {reader.LineNumber}: {rejection.Reason.Code()} in {(rejection.Column is { } c ? SongSchema.NameOf(c) : "the row")}; a ready file must be clean.");
            }

            result.Add(new TrainingRow(Encoding.UTF8.GetString(rows.Uri(reader)), Text(reader, header, SongColumn.Artist), SongModelInput.FromSong(song))
            {
                Track = Text(reader, header, SongColumn.Track),
            });
        }

        return result.Count >= 10
            ? result
            : throw new InvalidDataException($"{sourceName} has {result.Count} rows; a model needs at least 10.");
    }

    private static string Text(CsvRecordReader reader, SongHeader header, SongColumn column) =>
        header.OrdinalOf(column) is >= 0 and var ordinal ? Encoding.UTF8.GetString(SongRowReader.Trim(reader[ordinal])) : "";
}

/// <summary>A ready file with more rows than the trainer can hold in its memory.</summary>
public sealed class DatasetTooLargeException : Exception
{
    public DatasetTooLargeException()
    {
    }

    public DatasetTooLargeException(string message)
        : base(message)
    {
    }

    public DatasetTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DatasetTooLargeException(string sourceName, long limit)
        : base(string.Create(CultureInfo.InvariantCulture, $"{sourceName} has more than {limit:N0} rows, the most this trainer can hold")) => Limit = limit;

    /// <summary>The most rows the trainer can hold; the file has more.</summary>
    public long Limit { get; }
}
