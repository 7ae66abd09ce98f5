using System.Globalization;
using ChartBuster.Songs;

namespace ChartBuster.Model.Scoring;

/// <summary>
/// Every value a categorical input of <see cref="SongModelInput"/> can take for a song that passed the cleaning rules
/// (key −1..11, mode 0..1, time signature 0..7, a decade or "unknown"), each with a code: its place in the list.
/// Whatever the pipeline derives from these inputs alone is computed once per value when a model is compiled.
/// </summary>
internal static class CategoricalInputs
{
    public const int Key = 0;
    public const int Mode = 1;
    public const int TimeSignature = 2;
    public const int Decade = 3;
    public const int Count = 4;

    /// <summary>The column names, by index (the names of <see cref="SongModelInput"/>'s properties).</summary>
    public static IReadOnlyList<string> Names { get; } =
        [nameof(SongModelInput.Key), nameof(SongModelInput.Mode), nameof(SongModelInput.TimeSignature), nameof(SongModelInput.Decade)];

    /// <summary>The values of each input, by index; a value's code is its position.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Values { get; } =
    [
        Range(SongColumn.Key), Range(SongColumn.Mode), Range(SongColumn.TimeSignature),
        ["unknown", .. Enumerable.Range(0, ((Decades.Latest - Decades.Earliest) / 10) + 1).Select(i => (Decades.Earliest + (i * 10)).ToString(CultureInfo.InvariantCulture))],
    ];

    private static readonly Dictionary<string, int>[] s_codes =
        [.. Values.Select(values => values.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i, StringComparer.Ordinal))];

    private static readonly int[] s_minimums = [.. new[] { SongColumn.Key, SongColumn.Mode, SongColumn.TimeSignature }.Select(c => (int)NumericRule.For(c).Min)];

    /// <summary>The code of a text value, or −1 when it is none of the values (such an input is left to ML.NET).</summary>
    public static int CodeOf(int input, string value) => s_codes[input].GetValueOrDefault(value, -1);

    /// <summary>The codes of a validated song, straight from its numbers (no text).</summary>
    public static void CodesOf(in SongNumbers song, Span<int> codes)
    {
        codes[Key] = (int)song[SongColumn.Key] - s_minimums[Key];
        codes[Mode] = (int)song[SongColumn.Mode] - s_minimums[Mode];
        codes[TimeSignature] = (int)song[SongColumn.TimeSignature] - s_minimums[TimeSignature];
        var decade = (int)song[SongColumn.Decade];
        codes[Decade] = decade == Decades.Unknown ? 0 : ((decade - Decades.Earliest) / 10) + 1;
    }

    /// <summary>The codes of an input built any way (a form, a what-if probe): −1 for a value outside the lists.</summary>
    public static void CodesOf(SongModelInput input, Span<int> codes)
    {
        codes[Key] = CodeOf(Key, input.Key);
        codes[Mode] = CodeOf(Mode, input.Mode);
        codes[TimeSignature] = CodeOf(TimeSignature, input.TimeSignature);
        codes[Decade] = CodeOf(Decade, input.Decade);
    }

    public static string ValueOf(int input, int code) => Values[input][code];

    private static IReadOnlyList<string> Range(SongColumn column)
    {
        var rule = NumericRule.For(column);
        return [.. Enumerable.Range((int)rule.Min, (int)(rule.Max - rule.Min) + 1).Select(v => v.ToString(CultureInfo.InvariantCulture))];
    }
}
