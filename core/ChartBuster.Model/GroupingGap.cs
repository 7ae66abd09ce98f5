using System.Globalization;

namespace ChartBuster.Model;

/// <summary>
/// The artist trap, measured: the same learner's AUC on songs by artists it has not seen (artist-grouped
/// holdout) against its AUC on songs it has not seen whose artists it may have seen (song-grouped holdout).
/// In the public data a song's label is almost a property of its artist, so a model that recognises artists
/// (through a leaked feature, or by memorising their sound) scores far higher on the song-grouped split; an
/// audio model scores about 0.01 higher there (the reference study's song-level CV overstated its
/// artist-grouped CV by 0.011). A gap above <see cref="SuspiciousAucGap"/> is flagged in metrics.json and on the
/// model page. It is not a gate: the gate already judges a model on artists it has not seen, and on one decade a
/// few prolific artists in the validation fifth can open a gap of 0.09 for an honest model (the 1970s file).
/// </summary>
public sealed record GroupingGap(double ArtistGroupedAuc, double SongGroupedAuc, double AucGap, bool Suspicious, string Reading)
{
    /// <summary>
    /// Above this the model is taken to recognise artists. An audio model's gap is about 0.01, and the two
    /// holdouts are different samples (each AUC has a standard error of about 0.005 on the pooled data and 0.01
    /// on one decade), so 0.05 leaves room for noise; a model given the artist's hit rate shows a gap over 0.1.
    /// </summary>
    public const double SuspiciousAucGap = 0.05;

    public static GroupingGap Of(double artistGroupedAuc, double songGroupedAuc)
    {
        var gap = songGroupedAuc - artistGroupedAuc;
        var suspicious = !(gap <= SuspiciousAucGap);
        var measured = double.IsNaN(gap)
            ? "The gap between songs whose artists the model has seen and new artists cannot be measured"
            : $"On songs whose artists it may have seen the model scores {F(Math.Abs(gap))} AUC {(gap >= 0 ? "higher" : "lower")} than on new artists";
        var reading = suspicious
            ? $"{measured} (more than {F(SuspiciousAucGap)}): figures from a random split of songs would overstate its quality on new artists. " +
              "A gap this large is what a model that knows the artist shows (a feature that leaks it, or memorised sound); " +
              "on a small dataset, a few prolific artists among the held-out songs can cause it too."
            : $"{measured}, within what an audio-only model shows (at most {F(SuspiciousAucGap)}).";
        return new GroupingGap(Math.Round(artistGroupedAuc, 6), Math.Round(songGroupedAuc, 6), Math.Round(gap, 6), suspicious, reading);
    }

    private static string F(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
