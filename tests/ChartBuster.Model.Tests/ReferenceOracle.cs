using System.Globalization;
using ChartBuster.Model.Reference;
using ChartBuster.Songs;

namespace ChartBuster.Model.Tests;

/// <summary>
/// The training reference as ReferenceBuilder computed it before it worked on columns (LINQ over rows, one sort per
/// statistic): the plain statement of what each figure is, kept as the oracle the fast builder must match exactly.
/// </summary>
internal static class ReferenceOracle
{
    // The presets' rules and the categorical inputs are the builder's own (data, not the computation under test).
    private static readonly SongColumn[] s_categorical = ReferenceBuilder.Categorical;
    private static readonly (string Id, string Label, string Rule, Func<Func<SongColumn, double>, bool> Matches)[] s_styles = ReferenceBuilder.Styles;

    /// <param name="inputs">Each training row's raw inputs as decimals (<see cref="SongIndex.ExactInputs(SongModelInput)"/>), in row order.</param>
    public static TrainingReference Build(
        IReadOnlyList<TrainingRow> trainingRows, IReadOnlyList<double[]> inputs, IReadOnlyList<TrainingRow> heldOut, IReadOnlyList<double> heldOutProbabilities)
    {
        var rows = trainingRows.Select((r, i) => new ReadSong(r, DecadeOf(r.Input), inputs[i])).ToList();
        var decades = new List<DecadeReference>();
        foreach (var group in rows.GroupBy(r => r.Decade).OrderBy(g => g.Key))
        {
            var scored = heldOut.Select((r, i) => (Row: r, Probability: heldOutProbabilities[i])).Where(s => DecadeOf(s.Row.Input) == group.Key).ToList();
            var hits = scored.Where(s => s.Row.Label).Select(s => s.Probability).ToList();
            var misses = scored.Where(s => !s.Row.Label).Select(s => s.Probability).ToList();
            decades.Add(new DecadeReference(
                group.Key, group.Count(), group.Count(r => r.Row.Label), MedianSong([.. group]),
                hits.Count, misses.Count, Percentiles.Of(hits), Percentiles.Of(misses)));
        }

        return new TrainingReference
        {
            Songs = rows.Count,
            Hits = rows.Count(r => r.Row.Label),
            Decades = decades,
            Typical = MedianSong(rows),
            Presets = Presets(rows),
            Imputation = StructureImputation.Learn([.. rows.Select(r => (r[SongColumn.DurationMs], r[SongColumn.ChorusHit], r[SongColumn.Sections]))]),
            Inputs = SongFeatures.RawColumns.ToDictionary(SongSchema.NameOf, c => Spread(rows, c), StringComparer.Ordinal),
        };
    }

    private static List<Preset> Presets(List<ReadSong> rows)
    {
        var presets = new List<Preset>();
        var charted = rows.Where(r => r.Row.Label).ToList();
        foreach (var decade in charted.GroupBy(r => r.Decade).Where(g => g.Key != Decades.Unknown && g.Count() >= Percentiles.MinimumSongs).OrderByDescending(g => g.Key))
        {
            presets.Add(new Preset(
                $"hit-{decade.Key}", $"Typical {decade.Key}s hit",
                $"The median of each input over the {decade.Count():N0} charting {decade.Key}s songs in the training data.",
                decade.Key, decade.Count(), MedianSong([.. decade])));
        }

        var latest = charted.Select(r => r.Decade).Where(d => d != Decades.Unknown).DefaultIfEmpty(Decades.Unknown).Max();
        foreach (var (id, label, rule, matches) in s_styles)
        {
            var songs = charted.Where(r => r.Decade == latest && matches(c => r[c])).ToList();
            if (latest != Decades.Unknown && songs.Count >= Percentiles.MinimumSongs)
            {
                presets.Add(new Preset(
                    $"{id}-{latest}", $"{label}, {latest}s",
                    $"The median of each input over the {songs.Count:N0} charting {latest}s songs in the training data with {rule}.",
                    latest, songs.Count, MedianSong(songs)));
            }
        }

        return presets;
    }

    /// <summary>The median of each input (the most common key, mode and time signature), as a legal song.</summary>
    private static Dictionary<string, double> MedianSong(List<ReadSong> rows)
    {
        var song = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var column in SongFeatures.RawColumns)
        {
            var values = rows.Select(r => r[column]).ToList();
            double value = s_categorical.Contains(column)
                ? values.GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key
                : Percentiles.At([.. values.Order()], 0.5);
            song[SongSchema.NameOf(column)] = NumericRule.For(column).WholeNumber ? Math.Round(value) : Math.Round(value, 4);
        }

        // Each median on its own may put the chorus after the end of a (median-length) song.
        var seconds = song[SongSchema.NameOf(SongColumn.DurationMs)] / 1000;
        song[SongSchema.NameOf(SongColumn.ChorusHit)] = Math.Min(song[SongSchema.NameOf(SongColumn.ChorusHit)], Math.Floor(seconds));
        return song;
    }

    private static InputSpread Spread(List<ReadSong> rows, SongColumn column)
    {
        var sorted = rows.Select(r => r[column]).Order().ToArray();
        var mean = sorted.Average();
        var sd = sorted.Length < 2 ? 0 : Math.Sqrt(sorted.Sum(v => (v - mean) * (v - mean)) / (sorted.Length - 1));
        return new InputSpread(
            sorted[0], R(Percentiles.At(sorted, 0.01)), R(Percentiles.At(sorted, 0.5)), R(Percentiles.At(sorted, 0.99)), sorted[^1], R(mean), R(sd),
            s_categorical.Contains(column) ? [.. sorted.Distinct()] : null);
    }

    private static double R(double value) => Math.Round(value, 4);

    /// <summary>A training row with its decade and its inputs as the decimals they were read from (converted once by
    /// the caller: the conversion is costly, and every statistic above reads every value).</summary>
    private sealed record ReadSong(TrainingRow Row, int Decade, double[] Values)
    {
        private static readonly int[] s_slots = Slots();

        public double this[SongColumn column] => Values[s_slots[(int)column]];

        private static int[] Slots()
        {
            var slots = Enumerable.Repeat(-1, Enum.GetValues<SongColumn>().Length).ToArray();
            for (var i = 0; i < SongFeatures.RawColumns.Count; i++)
            {
                slots[(int)SongFeatures.RawColumns[i]] = i;
            }

            return slots;
        }
    }

    private static int DecadeOf(SongModelInput input) =>
        int.TryParse(input.Decade, NumberStyles.None, CultureInfo.InvariantCulture, out var decade) ? decade : Decades.Unknown;
}
