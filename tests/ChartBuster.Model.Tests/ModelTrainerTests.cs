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
}
