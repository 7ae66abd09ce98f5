namespace ChartBuster.Model.Tests;

/// <summary>Trains the default candidates on the real training pool (about a minute).</summary>
public class ModelQualityTests
{
    /// <summary>
    /// Floor for 5-fold CV AUC on the real pool. Measured 0.8895 ± 0.0060 (five folds); public peers on
    /// unseen songs reach 0.885-0.893. 0.875 sits more than two fold-standard-deviations below what we
    /// measure and at what a weaker pipeline gets (the quick 60-tree candidate: 0.875; dropping decade costs
    /// more), so a regression in features, split or trainer settings fails this test.
    /// </summary>
    private const double CrossValidatedAucFloor = 0.875;

    [Fact]
    public void The_default_candidates_reach_the_quality_floor_on_the_real_data_without_leaking_songs()
    {
        var rows = RealPool();

        var trained = new ModelTrainer(new TrainingOptions()).Train(rows);

        Assert.True(trained.Metrics.CrossValidation!.AucMean >= CrossValidatedAucFloor, $"CV AUC {trained.Metrics.CrossValidation.AucMean:F4}");
        Assert.True(trained.Metrics.Validation.Auc >= CrossValidatedAucFloor, $"validation AUC {trained.Metrics.Validation.Auc:F4}");
        Assert.True(trained.Metrics.Validation.LogLoss < 0.45, $"log loss {trained.Metrics.Validation.LogLoss:F4}");
        var validationSongs = trained.ValidationRows.Select(r => r.Uri).ToHashSet();
        Assert.Equal(trained.Rows.Total - trained.Rows.Validation, rows.Count(r => !validationSongs.Contains(r.Uri)));
        Assert.Contains(trained.Candidates, c => c.Trainer == "LightGbm");
        Assert.Contains(trained.Candidates, c => c.Trainer == "FastTree");
        Assert.Equal(SongModelInput.NumericCount + SongModelInput.CategoricalNames.Count, trained.Metrics.PermutationImportance.Count);
        Assert.Contains(trained.Metrics.PermutationImportance.Take(5), f => f.AucDrop > 0.01);
    }

    internal static List<TrainingRow> RealPool() =>
        [.. RepositoryPaths.DecadeFiles().SelectMany(file => ReadyDataset.Load(new MemoryStream(RealData.ReadyCsv(file)), file))];
}
