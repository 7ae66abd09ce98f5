using System.Text;
using ChartBuster.Songs.Csv;

namespace ChartBuster.Songs;

/// <summary>Where each contract column sits in a file: any order, any case, extra columns ignored.</summary>
public sealed class SongHeader
{
    private readonly int[] _ordinals;

    /// <summary>How many extra column names a header keeps (and a report lists); the rest are only counted.</summary>
    public const int ListedExtraColumns = 20;

    private SongHeader(int[] ordinals, int fieldCount, List<string> extra, int extraCount, List<string> missing, List<string> repeated, bool forTraining)
    {
        _ordinals = ordinals;
        ForTraining = forTraining;
        FieldCount = fieldCount;
        ExtraColumns = extra;
        ExtraColumnCount = extraCount;
        MissingColumns = missing;
        RepeatedColumns = repeated;
    }

    public int FieldCount { get; }

    /// <summary>Training data (every contract column, a uri on every row) rather than scoring input.</summary>
    public bool ForTraining { get; }

    /// <summary>The first <see cref="ListedExtraColumns"/> columns that are not in the contract (a header may have thousands).</summary>
    public IReadOnlyList<string> ExtraColumns { get; }

    public int ExtraColumnCount { get; }

    public IReadOnlyList<string> MissingColumns { get; }

    /// <summary>Contract columns given more than once, each named once.</summary>
    public IReadOnlyList<string> RepeatedColumns { get; }

    /// <summary>
    /// "semicolons" or "tabs" when the header only makes sense split at that character: the file was exported with
    /// another separator, which a missing-columns message would hide.
    /// </summary>
    public string? ForeignSeparator { get; private init; }

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

        var header = FromNames(names, requireTarget);
        return header.IsUsable ? header : header.WithSeparatorGuess(names);
    }

    public static SongHeader FromNames(IReadOnlyList<string> names, bool requireTarget)
    {
        ArgumentNullException.ThrowIfNull(names);
        var ordinals = Enumerable.Repeat(-1, SongSchema.ColumnCount).ToArray();
        var extra = new List<string>();
        var extraCount = 0;
        var repeated = new List<string>();
        for (var i = 0; i < names.Count; i++)
        {
            if (!SongSchema.TryGetColumn(names[i], out var column))
            {
                if (extraCount++ < ListedExtraColumns)
                {
                    extra.Add(names[i].Length == 0 ? $"(unnamed column {i + 1})" : names[i]);
                }
            }
            else if (ordinals[(int)column] >= 0)
            {
                if (!repeated.Contains(SongSchema.NameOf(column)))
                {
                    repeated.Add(SongSchema.NameOf(column));
                }
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
        return new SongHeader(ordinals, names.Count, extra, extraCount, missing, repeated, requireTarget);
    }

    private SongHeader WithSeparatorGuess(string[] names)
    {
        foreach (var (separator, name) in (ReadOnlySpan<(char, string)>)[(';', "semicolons"), ('\t', "tabs")])
        {
            var split = names.SelectMany(n => n.Split(separator)).Select(n => n.Trim().Trim('"')).ToList();
            if (split.Count > names.Length && FromNames(split, ForTraining).MissingColumns.Count < MissingColumns.Count)
            {
                return new SongHeader(_ordinals, FieldCount, [.. ExtraColumns], ExtraColumnCount, [.. MissingColumns], [.. RepeatedColumns], ForTraining)
                {
                    ForeignSeparator = name,
                };
            }
        }

        return this;
    }

    /// <summary>Why this header cannot be used, in words a user can act on.</summary>
    public string Problem()
    {
        if (ForeignSeparator is { } separator)
        {
            return $"The columns are separated by {separator}; ChartBuster reads comma-separated files. Export the file as CSV with commas.";
        }

        var problems = new List<string>();
        if (MissingColumns.Count > 0)
        {
            problems.Add($"missing required column(s): {string.Join(", ", MissingColumns)}");
        }

        if (RepeatedColumns.Count > 0)
        {
            problems.Add($"column(s) given twice: {string.Join(", ", RepeatedColumns)}");
        }

        return $"The header cannot be used: {string.Join("; ", problems)}.";
    }
}
