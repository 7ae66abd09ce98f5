using System.Globalization;
using ChartBuster.Songs;

namespace ChartBuster.Model.Reference;

/// <summary>
/// Computes a <see cref="TrainingReference"/> from the training rows and the model's answers for the held-out ones.
/// It works on columns and lists of row numbers: every median gathers its values into one array and sorts it with
/// <see cref="Array.Sort{T}(T[])"/> (a LINQ sort per statistic made this a second of every training on the real pool).
/// </summary>
internal static class ReferenceBuilder
{
    internal static readonly SongColumn[] Categorical = [SongColumn.Key, SongColumn.Mode, SongColumn.TimeSignature];

    /// <summary>
    /// Songs-like-these presets, each a rule on real charting songs of the latest decade, named by what the rule
    /// selects (the data has no genres): the preset is the median song of those that match.
    /// </summary>
    internal static readonly (string Id, string Label, string Rule, Func<Func<SongColumn, double>, bool> Matches)[] Styles =
    [
        ("dance", "Dance-floor hit", "danceability ≥ 0.7 and energy ≥ 0.7", v => v(SongColumn.Danceability) >= 0.7 && v(SongColumn.Energy) >= 0.7),
        ("ballad", "Acoustic ballad", "acousticness ≥ 0.6 and energy ≤ 0.4", v => v(SongColumn.Acousticness) >= 0.6 && v(SongColumn.Energy) <= 0.4),
        ("rap", "Rap-like hit", "speechiness ≥ 0.2 (a lot of spoken words)", v => v(SongColumn.Speechiness) >= 0.2),
        ("rock", "Loud and driving", "energy ≥ 0.8 and danceability below 0.55", v => v(SongColumn.Energy) >= 0.8 && v(SongColumn.Danceability) < 0.55),
        ("sad", "Sad-sounding hit", "valence ≤ 0.3", v => v(SongColumn.Valence) <= 0.3),
    ];

    /// <param name="inputs">Each training row's raw inputs as decimals (<see cref="SongIndex.ExactInputs(IReadOnlyList{TrainingRow})"/>), in row order.</param>
    public static TrainingReference Build(
        IReadOnlyList<TrainingRow> trainingRows, IReadOnlyList<double[]> inputs, IReadOnlyList<TrainingRow> heldOut, IReadOnlyList<double> heldOutProbabilities)
    {
        var songs = new SongTable(trainingRows, inputs);
        var all = Enumerable.Range(0, songs.Count).ToArray();
        var heldOutDecades = heldOut.Select(r => DecadeOf(r.Input)).ToArray();
        var decades = new List<DecadeReference>();
        foreach (var (decade, members) in songs.ByDecade(all))
        {
            var hits = new List<double>();
            var misses = new List<double>();
            for (var i = 0; i < heldOut.Count; i++)
            {
                if (heldOutDecades[i] == decade)
                {
                    (heldOut[i].Label ? hits : misses).Add(heldOutProbabilities[i]);
                }
            }

            decades.Add(new DecadeReference(
                decade, members.Length, members.Count(i => songs.Labels[i]), MedianSong(songs, members),
                hits.Count, misses.Count, Percentiles.Of(hits), Percentiles.Of(misses)));
        }

        return new TrainingReference
        {
            Songs = songs.Count,
            Hits = all.Count(i => songs.Labels[i]),
            Decades = decades,
            Typical = MedianSong(songs, all),
            Presets = Presets(songs, [.. all.Where(i => songs.Labels[i])]),
            Imputation = StructureImputation.Learn([.. all.Select(i => (songs[SongColumn.DurationMs][i], songs[SongColumn.ChorusHit][i], songs[SongColumn.Sections][i]))]),
            Inputs = SongFeatures.RawColumns.ToDictionary(SongSchema.NameOf, c => Spread(songs, c), StringComparer.Ordinal),
        };
    }

    private static List<Preset> Presets(SongTable songs, int[] charted)
    {
        var presets = new List<Preset>();
        foreach (var (decade, members) in songs.ByDecade(charted).Reverse())
        {
            if (decade != Decades.Unknown && members.Length >= Percentiles.MinimumSongs)
            {
                presets.Add(new Preset(
                    $"hit-{decade}", $"Typical {decade}s hit",
                    $"The median of each input over the {members.Length:N0} charting {decade}s songs in the training data.",
                    decade, members.Length, MedianSong(songs, members)));
            }
        }

        var latest = charted.Select(i => songs.Decades[i]).Where(d => d != Decades.Unknown).DefaultIfEmpty(Decades.Unknown).Max();
        foreach (var (id, label, rule, matches) in Styles)
        {
            int[] members = [.. charted.Where(i => songs.Decades[i] == latest && matches(c => songs[c][i]))];
            if (latest != Decades.Unknown && members.Length >= Percentiles.MinimumSongs)
            {
                presets.Add(new Preset(
                    $"{id}-{latest}", $"{label}, {latest}s",
                    $"The median of each input over the {members.Length:N0} charting {latest}s songs in the training data with {rule}.",
                    latest, members.Length, MedianSong(songs, members)));
            }
        }

        return presets;
    }

    /// <summary>The median of each input (the most common key, mode and time signature) over some rows, as a legal song.</summary>
    private static Dictionary<string, double> MedianSong(SongTable songs, int[] members)
    {
        var song = new Dictionary<string, double>(StringComparer.Ordinal);
        var values = new double[members.Length];
        foreach (var column in SongFeatures.RawColumns)
        {
            var source = songs[column];
            for (var i = 0; i < members.Length; i++)
            {
                values[i] = source[members[i]];
            }

            Array.Sort(values);
            var value = Categorical.Contains(column) ? Commonest(values) : Percentiles.At(values, 0.5);
            song[SongSchema.NameOf(column)] = NumericRule.For(column).WholeNumber ? Math.Round(value) : Math.Round(value, 4);
        }

        // Each median on its own may put the chorus after the end of a (median-length) song.
        var seconds = song[SongSchema.NameOf(SongColumn.DurationMs)] / 1000;
        song[SongSchema.NameOf(SongColumn.ChorusHit)] = Math.Min(song[SongSchema.NameOf(SongColumn.ChorusHit)], Math.Floor(seconds));
        return song;
    }

    /// <summary>The most frequent value of a sorted array; of equally frequent ones, the smallest.</summary>
    private static double Commonest(double[] sorted)
    {
        var (best, bestCount) = (sorted[0], 0);
        for (var start = 0; start < sorted.Length;)
        {
            var end = start + 1;
            while (end < sorted.Length && sorted[end].Equals(sorted[start]))
            {
                end++;
            }

            if (end - start > bestCount)
            {
                (best, bestCount) = (sorted[start], end - start);
            }

            start = end;
        }

        return best;
    }

    private static InputSpread Spread(SongTable songs, SongColumn column)
    {
        var sorted = (double[])songs[column].Clone();
        Array.Sort(sorted);
        var mean = sorted.Average();
        var sd = sorted.Length < 2 ? 0 : Math.Sqrt(sorted.Sum(v => (v - mean) * (v - mean)) / (sorted.Length - 1));
        return new InputSpread(
            sorted[0], R(Percentiles.At(sorted, 0.01)), R(Percentiles.At(sorted, 0.5)), R(Percentiles.At(sorted, 0.99)), sorted[^1], R(mean), R(sd),
            Categorical.Contains(column) ? [.. sorted.Distinct()] : null);
    }

    private static double R(double value) => Math.Round(value, 4);

    internal static int DecadeOf(SongModelInput input) =>
        int.TryParse(input.Decade, NumberStyles.None, CultureInfo.InvariantCulture, out var decade) ? decade : Decades.Unknown;
}
