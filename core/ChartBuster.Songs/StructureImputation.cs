namespace ChartBuster.Songs;

/// <summary>
/// Fills in <c>chorus_hit</c> and <c>sections</c> when a song leaves them out (Spotify's audio-features response has
/// neither). Both follow a song's length in the training data (sections: correlation 0.89 with duration on the public
/// dataset), so each is read off the training songs of similar length: the songs are cut into bands of duration
/// (tenths of the training data), and a song gets its band's median chorus position (share of the song before the
/// chorus) and median sections per minute, scaled to its own length. Learned at training time and stored with the
/// model; a filled-in value is always reported as such.
/// </summary>
/// <param name="DurationUpperBoundsMs">The upper duration bound of each band but the last (ascending).</param>
/// <param name="ChorusShare">Per band: median chorus_hit ÷ duration in seconds.</param>
/// <param name="SectionsPerMinute">Per band: median sections ÷ duration in minutes.</param>
public sealed record StructureImputation(IReadOnlyList<double> DurationUpperBoundsMs, IReadOnlyList<double> ChorusShare, IReadOnlyList<double> SectionsPerMinute)
{
    /// <summary>The inputs this imputation may fill in.</summary>
    public static IReadOnlyList<SongColumn> Imputable { get; } = [SongColumn.ChorusHit, SongColumn.Sections];

    /// <summary>Learns the bands from training songs (duration ms, chorus_hit s, sections).</summary>
    public static StructureImputation Learn(IReadOnlyList<(double DurationMs, double ChorusHit, double Sections)> songs, int bands = 10)
    {
        ArgumentNullException.ThrowIfNull(songs);
        var sorted = songs.Where(s => s.DurationMs > 0).OrderBy(s => s.DurationMs).ToArray();
        if (sorted.Length < bands)
        {
            throw new ArgumentException($"needs at least {bands} songs with a duration", nameof(songs));
        }

        var bounds = new List<double>();
        var shares = new List<double>();
        var pace = new List<double>();
        for (var b = 0; b < bands; b++)
        {
            var band = sorted[(b * sorted.Length / bands)..((b + 1) * sorted.Length / bands)];
            if (b < bands - 1)
            {
                bounds.Add(band[^1].DurationMs);
            }

            shares.Add(Math.Round(Median(band.Select(s => s.ChorusHit / (s.DurationMs / 1000))), 6));
            pace.Add(Math.Round(Median(band.Select(s => s.Sections / (s.DurationMs / 60_000))), 6));
        }

        return new StructureImputation(bounds, shares, pace);
    }

    /// <summary>
    /// Fills chorus_hit and sections when they are missing and the duration is a legal one; returns the columns it
    /// filled (in the order of <see cref="Imputable"/>). Values that are present are never touched.
    /// </summary>
    public IReadOnlyList<SongColumn> Fill(Dictionary<SongColumn, double?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.GetValueOrDefault(SongColumn.DurationMs) is not { } duration || NumericRule.For(SongColumn.DurationMs).Check(duration) is not null)
        {
            return [];
        }

        var band = 0;
        while (band < DurationUpperBoundsMs.Count && duration > DurationUpperBoundsMs[band])
        {
            band++;
        }

        var filled = new List<SongColumn>();
        if (values.GetValueOrDefault(SongColumn.ChorusHit) is null)
        {
            values[SongColumn.ChorusHit] = Math.Round(ChorusShare[band] * duration / 1000, 2);
            filled.Add(SongColumn.ChorusHit);
        }

        if (values.GetValueOrDefault(SongColumn.Sections) is null)
        {
            values[SongColumn.Sections] = Math.Max(1, Math.Round(SectionsPerMinute[band] * duration / 60_000));
            filled.Add(SongColumn.Sections);
        }

        return filled;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
