namespace ChartBuster.Model.Tests;

/// <summary>Trains the full profile on the real data and holds it to a floor measured on artists it has not seen.</summary>
public class ModelQualityTests
{
    /// <summary>
    /// Floors on songs by artists the model has not seen (5-fold artist-grouped CV on the training pool, and the
    /// artist-grouped 20 % validation holdout). The full profile measures CV AUC 0.8844 ± 0.0107, validation AUC
    /// 0.8865, log loss 0.4147 (bench/model/EXPERIMENTS.md); the runs are deterministic, so the margin (0.004 to
    /// 0.007 AUC, 0.01 log loss) is room for harmless changes, not for noise. The floors fail the peer-sized
    /// LightGbm (CV 0.8789) and a model without the decade (0.8619); the grouping assertions fail song-grouped figures.
    /// The previous floor was 0.875 on a song-grouped split, where the same pipelines score about 0.012 higher.
    /// </summary>
    private const double CrossValidatedAucFloor = 0.880;

    private const double ValidationAucFloor = 0.880;

    private const double ValidationLogLossCeiling = 0.425;

    [Fact]
    public void The_full_profile_reaches_the_quality_floor_on_artists_it_has_not_seen()
    {
        var rows = RealPool();

        var trained = new ModelTrainer(new TrainingOptions()).Train(rows);

        var metrics = trained.Metrics;
        Assert.Equal("artist", metrics.ValidationGrouping);
        Assert.Equal("artist", metrics.CrossValidation!.Grouping);
        Assert.True(metrics.CrossValidation.AucMean >= CrossValidatedAucFloor, $"CV AUC {metrics.CrossValidation.AucMean:F4}");
        Assert.True(metrics.Validation.Auc >= ValidationAucFloor, $"validation AUC {metrics.Validation.Auc:F4}");
        Assert.True(metrics.Validation.LogLoss <= ValidationLogLossCeiling, $"log loss {metrics.Validation.LogLoss:F4}");
        var trainingArtists = rows.Except(trained.ValidationRows).Select(r => ArtistName.Normalise(r.Artist)).ToHashSet();
        Assert.DoesNotContain(trained.ValidationRows, r => trainingArtists.Contains(ArtistName.Normalise(r.Artist)));
        Assert.False(metrics.ArtistGap!.Suspicious, metrics.ArtistGap.Reading);
        Assert.True(metrics.SongGroupedValidation!.Auc > metrics.Validation.Auc - 0.01, "an audio model does not do worse on artists it has seen");
        Assert.Equal(["1960", "1970", "1980", "1990", "2000", "2010"], metrics.PerDecade!.Select(d => d.Decade));
        Assert.All(metrics.PerDecade!, d => Assert.InRange(d.Auc, 0.75, 1));
        Assert.Equal(SongModelInput.NumericCount + SongModelInput.CategoricalNames.Count, metrics.PermutationImportance.Count);
        Assert.Contains(metrics.PermutationImportance.Take(5), f => f.AucDrop > 0.01);
        Assert.InRange(trained.Scope.ArtistMix.MixedShare, 0.005, 0.05);
        Assert.InRange(trained.Scope.CalibrationError, 0, 0.05);
        Assert.True(trained.TimingsSeconds["total"] > 0);
    }

    internal static List<TrainingRow> RealPool() =>
        [.. RepositoryPaths.DecadeFiles().SelectMany(file => ReadyDataset.Load(new MemoryStream(RealData.ReadyCsv(file)), file))];
}
