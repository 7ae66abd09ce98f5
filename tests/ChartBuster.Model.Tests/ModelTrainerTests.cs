namespace ChartBuster.Model.Tests;

public class ModelTrainerTests
{
    private static IReadOnlyList<TrainingRow> Decade(int index) =>
        ReadyDataset.Load(new MemoryStream(RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[index])), RepositoryPaths.DecadeFiles()[index]);

    [Fact]
    public void Holds_whole_artists_out_and_compares_with_a_song_grouped_split()
    {
        var rows = Decade(4);

        var trained = new ModelTrainer(new TrainingOptions { Candidates = ModelCandidate.Quick }).Train(rows);

        var pool = rows.Except(trained.ValidationRows).Select(r => ArtistName.Normalise(r.Artist)).ToHashSet();
        Assert.DoesNotContain(trained.ValidationRows, r => pool.Contains(ArtistName.Normalise(r.Artist)));
        Assert.Equal("artist", trained.Metrics.ValidationGrouping);
        Assert.Null(trained.Metrics.GroupingNote);
        Assert.NotNull(trained.Metrics.SongGroupedValidation);
        Assert.Equal(trained.Metrics.SongGroupedValidation!.Auc - trained.Metrics.Validation.Auc, trained.Metrics.ArtistGap!.AucGap, 6);
        Assert.Equal(trained.ValidationRows.Count, trained.Metrics.PerDecade!.Single().Rows);
        Assert.Equal(trained.Rows.ValidationArtists, trained.ValidationRows.Select(r => ArtistName.Normalise(r.Artist)).Distinct().Count());
    }

    [Fact]
    public void Falls_back_to_a_song_grouped_split_and_says_so_when_the_data_has_too_few_artists()
    {
        var rows = Decade(4).Select((r, i) => r with { Artist = i % 3 == 0 ? "The Only Band" : "Only Band feat. A Guest" }).ToList();

        var trained = new ModelTrainer(new TrainingOptions { Candidates = ModelCandidate.Quick }).Train(rows);

        Assert.Equal("song", trained.Metrics.ValidationGrouping);
        Assert.Equal("song", trained.Metrics.CrossValidation!.Grouping);
        Assert.Contains("too few artists (1)", trained.Metrics.GroupingNote, StringComparison.Ordinal);
        Assert.Null(trained.Metrics.ArtistGap);
        Assert.InRange(trained.ValidationRows.Count / (double)rows.Count, 0.18, 0.22);
        Assert.InRange(trained.Metrics.Validation.Auc, 0.7, 1);
    }

    [Fact]
    public void Importance_on_a_large_holdout_is_measured_on_a_seeded_sample_the_card_counts_and_repeats_exactly()
    {
        var pool = ModelQualityTests.RealPool();
        var options = new TrainingOptions { Candidates = ModelCandidate.Quick, Folds = 0 };

        var first = new ModelTrainer(options).Train(pool);
        var second = new ModelTrainer(options).Train(pool);
        var small = new ModelTrainer(options).Train(Decade(4));

        Assert.True(first.ValidationRows.Count > ModelTrainer.ImportanceSampleRows);
        Assert.Equal(ModelTrainer.ImportanceSampleRows, first.Rows.ImportanceRows);
        Assert.Equal(first.Metrics.PermutationImportance, second.Metrics.PermutationImportance);
        Assert.Equal(small.ValidationRows.Count, small.Rows.ImportanceRows);
    }

    [Fact]
    public async Task A_fit_on_every_core_beside_fits_on_one_core_finishes_and_gives_the_same_model()
    {
        // LightGbm sizes per-thread buffers by a process-wide thread count: without LightGbmFitGate this crashed the process.
        var rows = Decade(4);
        var options = new TrainingOptions { Candidates = [ModelCandidate.PeerSized], Folds = 0 };
        var alone = new ModelTrainer(options).Train(rows).Metrics.Validation.Auc;

        var beside = Enumerable.Range(0, 4).Select(_ => Task.Run(() => CrossValidation.Holdout(rows, CrossValidation.For(ModelCandidate.PeerSized), SplitGrouping.Song, 5, 42))).ToList();
        var trained = new ModelTrainer(options).Train(rows);
        var aucs = await Task.WhenAll(beside);

        Assert.Equal(alone, trained.Metrics.Validation.Auc);
        Assert.All(aucs, m => Assert.Equal(aucs[0].Auc, m.Auc));
    }

    [Fact]
    public void The_song_grouped_comparison_on_every_core_gives_the_figures_of_a_fit_on_one_thread()
    {
        // The trainer fits the comparison with every core after the final fit; the gap must stay the one-thread figure.
        var rows = Decade(4);
        var options = new TrainingOptions { Candidates = [ModelCandidate.PeerSized], Folds = 0 };

        var trained = new ModelTrainer(options).Train(rows);
        var oneThread = CrossValidation.Holdout(rows, CrossValidation.For(ModelCandidate.PeerSized, options.Features, options.Seed), SplitGrouping.Song, options.ValidationShare, options.Seed);
        var everyCore = CrossValidation.Holdout(rows, CrossValidation.For(ModelCandidate.PeerSized, options.Features, options.Seed, threads: 2), SplitGrouping.Song, options.ValidationShare, options.Seed);

        Assert.Equal(oneThread, trained.Metrics.SongGroupedValidation);
        Assert.Equal(oneThread, everyCore);
    }
}
