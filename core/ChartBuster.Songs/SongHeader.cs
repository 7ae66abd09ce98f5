using System.Text;
using ChartBuster.Songs.Csv;

namespace ChartBuster.Songs;

/// <summary>Where each contract column sits in a file: any order, any case, extra columns ignored.</summary>
public sealed class SongHeader
{
    private readonly int[] _ordinals;

    private SongHeader(int[] ordinals, int fieldCount, List<string> extra, List<string> missing, List<string> repeated, bool forTraining)
    {
        _ordinals = ordinals;
        ForTraining = forTraining;
        FieldCount = fieldCount;
        ExtraColumns = extra;
        MissingColumns = missing;
        RepeatedColumns = repeated;
    }

    public int FieldCount { get; }

    /// <summary>Training data (every contract column, a uri on every row) rather than scoring input.</summary>
    public bool ForTraining { get; }

    public IReadOnlyList<string> ExtraColumns { get; }

    public IReadOnlyList<string> MissingColumns { get; }

    public IReadOnlyList<string> RepeatedColumns { get; }

    public bool IsUsable => MissingColumns.Count == 0 && RepeatedColumns.Count == 0;

    public bool Has(SongColumn column) => _ordinals[(int)column] >= 0;

    /// <summary>The field index of a column in this file, or -1 when the file has no such column.</summary>
    public int OrdinalOf(SongColumn column) => _ordinals[(int)column];

    /// <summary>Maps the current record of <paramref name="reader"/> (the header line).</summary>
    public static SongHeader Read(CsvRecordReader reader, bool requireTarget)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var names = new string[reader.FieldCount];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = Encoding.UTF8.GetString(reader[i]).Trim();
        }

        return FromNames(names, requireTarget);
    }

    public static SongHeader FromNames(IReadOnlyList<string> names, bool requireTarget)
    {
        ArgumentNullException.ThrowIfNull(names);
        var ordinals = Enumerable.Repeat(-1, SongSchema.ColumnCount).ToArray();
        var extra = new List<string>();
        var repeated = new List<string>();
        for (var i = 0; i < names.Count; i++)
        {
            if (!SongSchema.TryGetColumn(names[i], out var column))
            {
                extra.Add(names[i].Length == 0 ? $"(unnamed column {i + 1})" : names[i]);
            }
            else if (ordinals[(int)column] >= 0)
            {
                repeated.Add(SongSchema.NameOf(column));
            }
            else
            {
                ordinals[(int)column] = i;
            }
        }

        var missing = SongSchema.RequiredColumns(requireTarget)
            .Where(c => ordinals[(int)c] < 0)
            .Select(SongSchema.NameOf)
            .ToList();
        return new SongHeader(ordinals, names.Count, extra, missing, repeated, requireTarget);
    }
}
