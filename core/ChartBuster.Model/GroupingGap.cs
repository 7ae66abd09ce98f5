using System.Globalization;

namespace ChartBuster.Model;

/// <summary>
/// The artist trap, measured: the same learner's AUC on songs by artists it has not seen (artist-grouped
/// holdout) against its AUC on songs it has not seen whose artists it may have seen (song-grouped holdout).
/// In the public data a song's label is almost a property of its artist, so a model that recognises artists
/// (through a leaked feature, or by memorising their sound) scores far higher on the song-grouped split; an
/// audio model scores about 0.01 higher there (the reference study's song-level CV overstated its
/// artist-grouped CV by 0.011). A gap above <see cref="SuspiciousAucGap"/> says the model knows artists.
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
        var reading = suspicious
            ? $"The model scores {F(gap)} AUC higher on songs whose artists it has seen than on new artists (more than {F(SuspiciousAucGap)}): " +
              "it recognises artists rather than judging songs."
            : $"The model scores {F(gap)} AUC higher on songs whose artists it has seen than on new artists, " +
              $"within what an audio-only model shows (at most {F(SuspiciousAucGap)}).";
        return new GroupingGap(Math.Round(artistGroupedAuc, 6), Math.Round(songGroupedAuc, 6), Math.Round(gap, 6), suspicious, reading);
    }

    private static string F(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
