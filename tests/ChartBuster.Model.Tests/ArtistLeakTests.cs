using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit.Abstractions;

namespace ChartBuster.Model.Tests;

/// <summary>
/// The artist trap on the real data: a model told the artist's past hit rate looks excellent on a song-grouped
/// split and falls on artists it has not seen; the grouping gap catches it.
/// </summary>
public class ArtistLeakTests(ITestOutputHelper output)
{
    [Fact]
    public void A_model_given_the_artists_past_hit_rate_is_caught_by_the_grouping_gap()
    {
        var rows = ModelQualityTests.RealPool();
        var leaky = ArtistHitRateLearner(new MLContext(42));

        var songGrouped = CrossValidation.Holdout(rows, leaky, SplitGrouping.Song, share: 5, seed: 42);
        var artistGrouped = CrossValidation.Holdout(rows, leaky, SplitGrouping.Artist, share: 5, seed: 42);
        var gap = GroupingGap.Of(artistGrouped.Auc, songGrouped.Auc);
        output.WriteLine($"leaky model: song-grouped AUC {songGrouped.Auc:F4}, artist-grouped AUC {artistGrouped.Auc:F4}, gap {gap.AucGap:F4}");

        Assert.True(songGrouped.Auc > 0.95, $"song-grouped AUC {songGrouped.Auc:F4}: the leak should look excellent");
        Assert.True(gap.AucGap > 0.08, $"gap {gap.AucGap:F4} (artist-grouped {artistGrouped.Auc:F4})");
        Assert.True(gap.Suspicious);
        Assert.Contains("what a model that knows the artist shows", gap.Reading, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gap_within_what_audio_models_show_is_not_suspicious()
    {
        var gap = GroupingGap.Of(0.880, 0.893);

        Assert.False(gap.Suspicious);
        Assert.Equal(0.013, gap.AucGap, 6);
        Assert.Contains("0.013 AUC higher", gap.Reading, StringComparison.Ordinal);
        Assert.Contains("0.004 AUC lower", GroupingGap.Of(0.885, 0.881).Reading, StringComparison.Ordinal);
        Assert.True(GroupingGap.Of(0.88, double.NaN).Suspicious, "an unmeasurable gap is not a clean bill");
    }

    /// <summary>
    /// Audio features plus the artist's hit rate and song count among the training songs ("past hit rate": for a
    /// training song, its artist's other songs; for a new song, all its artist's training songs; the base rate
    /// for an artist never seen). Built here, outside the trainer, because the trainer refuses such features.
    /// </summary>
    private static Learner ArtistHitRateLearner(MLContext ml) => train =>
    {
        var byArtist = train.GroupBy(r => ArtistName.Normalise(r.Artist)).ToDictionary(g => g.Key, g => (Hits: g.Count(r => r.Label), Songs: g.Count()));
        var prior = train.Count(r => r.Label) / (double)train.Count;
        IDataView Load(IReadOnlyList<TrainingRow> songs, bool ownSongCounts) => ml.Data.LoadFromEnumerable<LeakyInput>([.. songs.Select(r =>
        {
            var (hits, count) = byArtist.GetValueOrDefault(ArtistName.Normalise(r.Artist));
            if (ownSongCounts)
            {
                (hits, count) = (hits - (r.Label ? 1 : 0), count - 1);
            }

            return new LeakyInput
            {
                Numeric = [.. r.Input.Numeric, count > 0 ? (float)hits / count : (float)prior, count],
                Key = r.Input.Key, Mode = r.Input.Mode, TimeSignature = r.Input.TimeSignature, Decade = r.Input.Decade, Label = r.Label,
            };
        })]);
        var model = ModelCandidate.PeerSized.Pipeline(ml).Fit(Load(train, ownSongCounts: true));
        return songs => [.. model.Transform(Load(songs, ownSongCounts: false)).GetColumn<float>("Probability").Select(p => (double)p)];
    };

    private sealed class LeakyInput
    {
        [VectorType(29)]
        public float[] Numeric { get; set; } = [];

        public string Key { get; set; } = "";

        public string Mode { get; set; } = "";

        public string TimeSignature { get; set; } = "";

        public string Decade { get; set; } = "";

        public bool Label { get; set; }
    }
}
