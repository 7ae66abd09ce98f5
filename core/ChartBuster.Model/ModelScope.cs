using System.Globalization;

namespace ChartBuster.Model;

/// <summary>How label and artist go together in a training set: artists with two or more songs, and how many of them have both hits and non-hits.</summary>
public sealed record ArtistLabelMix(int Artists, int ArtistsWithTwoOrMoreSongs, int WithBothHitsAndNonHits, double MixedShare)
{
    public static ArtistLabelMix Of(IReadOnlyList<TrainingRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var artists = rows.Where(r => r.ArtistKey.Length > 0).GroupBy(r => r.ArtistKey).ToList();
        var several = artists.Where(g => g.Count() >= 2).ToList();
        var mixed = several.Count(g => g.Any(r => r.Label) && g.Any(r => !r.Label));
        return new ArtistLabelMix(artists.Count, several.Count, mixed, several.Count == 0 ? 0 : Math.Round((double)mixed / several.Count, 4));
    }
}

/// <summary>
/// The model card's "what this model can and cannot tell you": plain sentences built from this model's own
/// measurements (no figure in them is typed in by hand), and the measurements themselves.
/// </summary>
public sealed record ModelScope
{
    public required string Inputs { get; init; }

    public required string ArtistProperty { get; init; }

    public required string Probability { get; init; }

    public required string Decades { get; init; }

    public required IReadOnlyList<string> CannotTell { get; init; }

    public required ArtistLabelMix ArtistMix { get; init; }

    /// <summary>Mean |predicted − observed| over the calibration bins, weighted by songs (expected calibration error).</summary>
    public required double CalibrationError { get; init; }

    public required IReadOnlyList<Curves.CalibrationBin> Calibration { get; init; }

    public required IReadOnlyList<DecadeMetrics> PerDecade { get; init; }

    public static ModelScope Describe(IReadOnlyList<TrainingRow> rows, ModelMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(metrics);
        var mix = ArtistLabelMix.Of(rows);
        var perDecade = metrics.PerDecade ?? [];
        var hitShare = rows.Count(r => r.Label) / (double)rows.Count;
        var ece = metrics.Calibration.Sum(b => b.Count * Math.Abs(b.MeanPredicted - b.ObservedRate)) / Math.Max(1, metrics.Calibration.Sum(b => b.Count));
        return new ModelScope
        {
            Inputs = "It reads a song's audio features as Spotify measures them (danceability, energy, loudness, tempo, duration and the rest) " +
                "and its decade, nothing else: not the artist, the label, the lyrics, the marketing, streams or radio play.",
            ArtistProperty = ArtistSentence(mix, metrics),
            Probability = ProbabilitySentence(metrics.Calibration, ece, hitShare, metrics.ValidationGrouping == "artist" ? "songs by new artists" : "held-out songs"),
            Decades = DecadeSentence(rows, perDecade),
            CannotTell =
            [
                "Whether a particular artist will chart: it has never been told who sings, and every figure here is on artists it has not seen.",
                "The chance that a real new release charts: the dataset is about half hits, real releases chart far less often, so use the probability to compare songs.",
                "Why a song charted: it finds audio patterns that go with charting in the past, not causes.",
                "Anything about songs from decades it has not seen, or without a decade.",
            ],
            ArtistMix = mix,
            CalibrationError = Math.Round(ece, 4),
            Calibration = metrics.Calibration,
            PerDecade = perDecade,
        };
    }

    private static string ArtistSentence(ArtistLabelMix mix, ModelMetrics metrics) =>
        $"In the public data, whether a song charted is almost a property of its artist (the non-hits were drawn from artists who never charted); " +
        $"in this training set, of the {mix.ArtistsWithTwoOrMoreSongs:N0} artists with two or more songs, {P(mix.MixedShare, 1)} have both hits and non-hits. " +
        "A model that knew the artist would look excellent and learn nothing about songs, so this one never sees the artist" +
        (metrics.ArtistGap is { } gap
            ? ", and every figure here is measured on songs by artists kept out of its training. For comparison, on songs it has not seen but whose " +
              $"artists it may have seen, its AUC is {F(gap.SongGroupedAuc)} against {F(gap.ArtistGroupedAuc)} on new artists" +
              (gap.Suspicious
                  ? $": a gap above {F(GroupingGap.SuspiciousAucGap)}, so figures from a random split of songs would overstate it by that much."
                  : ", a gap within what an audio-only model shows.")
            : $". {metrics.GroupingNote ?? "Its figures are on held-out songs whose artists it may have seen."}");

    private static string ProbabilitySentence(IReadOnlyList<Curves.CalibrationBin> bins, double ece, double hitShare, string measuredOn)
    {
        var shown = bins.Where(b => b.Count >= 50).ToList();
        var examples = new[] { shown.FirstOrDefault(), shown.ElementAtOrDefault(shown.Count / 2), shown.LastOrDefault() }
            .OfType<Curves.CalibrationBin>().Distinct()
            .Select(b => $"of the held-out songs it gave {P(b.From, 0)}–{P(b.To, 0)}, {P(b.ObservedRate, 0)} charted");
        return $"The probability is measured against what happened, on {measuredOn}: {string.Join("; ", examples)} " +
            $"(the calibration curve; on average a probability is {P(ece, 1)} off the observed rate of its band). " +
            $"It is a frequency among songs like those of this dataset, {P(hitShare, 0)} of which charted, so it says how much a song " +
            "sounds like the hits of its decade rather than the non-hits drawn for the dataset; it is not the chance that a release charts.";
    }

    private static string DecadeSentence(IReadOnlyList<TrainingRow> rows, IReadOnlyList<DecadeMetrics> perDecade)
    {
        var seen = rows.GroupBy(r => r.Input.Decade).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key == "unknown" ? $"unknown decade ({g.Count():N0})" : $"{g.Key}s ({g.Count():N0})").ToList();
        var ranked = perDecade.Where(d => double.IsFinite(d.Auc)).OrderByDescending(d => d.Auc).ToList();
        var spread = ranked.Count >= 2
            ? $" On new artists it ranks hits best in the {ranked[0].Decade}s (AUC {F(ranked[0].Auc)}) and least well in the {ranked[^1].Decade}s (AUC {F(ranked[^1].Auc)})."
            : "";
        return $"It learned from songs of the {string.Join(", ", seen)}; songs from other decades are outside what it has seen.{spread}";
    }

    private static string P(double share, int decimals) => (share * 100).ToString("F" + decimals, CultureInfo.InvariantCulture) + " %";

    private static string F(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
