namespace ChartBuster.Model.Tests;

public class GroupedSplitTests
{
    /// <summary>Songs by artists of a few songs each; an artist's songs share its label, as in the real data.</summary>
    private static List<TrainingRow> Rows(int songs, int songsPerArtist = 3, int copiesOfEach = 1) =>
        [.. Enumerable.Range(0, songs).SelectMany(s => Enumerable.Range(0, copiesOfEach).Select(_ =>
            Row($"spotify:track:{s:D22}", $"Artist {s / songsPerArtist}", (s / songsPerArtist) % 3 == 0)))];

    private static TrainingRow Row(string uri, string artist, bool hit) => new(uri, artist, new SongModelInput { Label = hit });

    private static void AssertTogether(IEnumerable<(string Key, int Fold)> rows) =>
        Assert.All(rows.GroupBy(x => x.Key), g => Assert.Single(g.Select(x => x.Fold).Distinct()));

    [Fact]
    public void Every_song_of_an_artist_lands_in_the_same_fold_whatever_the_spelling()
    {
        var rows = Rows(600);
        rows.Add(Row("spotify:track:a", "ARTIST 7 Featuring Someone Else", false));
        rows.Add(Row("spotify:track:b", "The Artist 7", false));

        var folds = GroupedSplit.AssignFolds(rows, 5, seed: 7);

        AssertTogether(rows.Select((r, i) => (ArtistName.Normalise(r.Artist), folds[i])));
        Assert.Equal(folds[rows.FindIndex(r => r.Artist == "Artist 7")], folds[^1]);
        Assert.Equal(folds[^1], folds[^2]);
    }

    [Fact]
    public void Every_copy_of_a_song_lands_in_the_same_fold_and_joins_its_two_spellings_of_an_artist()
    {
        var rows = Rows(300, copiesOfEach: 2);
        rows.Add(Row("spotify:track:shared", "Sam Cooke", true));
        rows.Add(Row("spotify:track:shared", "Cooke, Sam", true));
        rows.Add(Row("spotify:track:other", "Cooke, Sam", true));

        var folds = GroupedSplit.AssignFolds(rows, 5, seed: 7);

        AssertTogether(rows.Select((r, i) => (r.Uri, folds[i])));
        Assert.Single(folds[^3..].Distinct());
    }

    [Fact]
    public void Song_grouping_keeps_songs_whole_but_lets_an_artist_sit_on_both_sides()
    {
        var rows = Rows(600, songsPerArtist: 20);

        var folds = GroupedSplit.AssignFolds(rows, 5, seed: 7, SplitGrouping.Song);

        AssertTogether(rows.Select((r, i) => (r.Uri, folds[i])));
        Assert.Contains(rows.Select((r, i) => (r.Artist, Fold: folds[i])).GroupBy(x => x.Artist), g => g.Select(x => x.Fold).Distinct().Count() > 1);
    }

    [Fact]
    public void Each_fold_gets_its_share_of_rows_hits_and_non_hits_although_artists_differ_in_size()
    {
        var rows = Enumerable.Range(0, 400).SelectMany(a => Enumerable.Range(0, 1 + (a % 7)).Select(s =>
            Row($"spotify:track:{a}-{s}", $"Artist {a}", a % 3 == 0))).ToList();

        var folds = GroupedSplit.AssignFolds(rows, 5, seed: 7);

        var hits = rows.Count(r => r.Label);
        for (var f = 0; f < 5; f++)
        {
            var members = rows.Where((_, i) => folds[i] == f).ToList();
            Assert.InRange(members.Count(r => r.Label), (hits / 5) - 7, (hits / 5) + 7);
            Assert.InRange(members.Count(r => !r.Label), ((rows.Count - hits) / 5) - 7, ((rows.Count - hits) / 5) + 7);
        }
    }

    [Fact]
    public void A_song_without_an_artist_is_grouped_on_its_own()
    {
        var rows = Enumerable.Range(0, 100).Select(s => Row($"spotify:track:{s}", "", s % 2 == 0)).ToList();

        var groups = GroupedSplit.GroupsOf(rows, SplitGrouping.Artist);

        Assert.Equal(100, groups.Distinct().Count());
    }

    [Fact]
    public void The_holdout_is_deterministic_for_a_seed_and_differs_across_seeds()
    {
        var rows = Rows(500);

        var a = GroupedSplit.Holdout(rows, 5, 42).Validation.Select(r => r.Uri).ToList();
        var b = GroupedSplit.Holdout(rows, 5, 42).Validation.Select(r => r.Uri).ToList();
        var c = GroupedSplit.Holdout(rows, 5, 43).Validation.Select(r => r.Uri).ToList();

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void The_real_holdout_shares_no_artist_with_its_training_pool()
    {
        var rows = ModelQualityTests.RealPool();

        var (train, validation) = GroupedSplit.Holdout(rows, 5, 42);

        var trainArtists = train.Select(r => ArtistName.Normalise(r.Artist)).ToHashSet();
        Assert.DoesNotContain(validation, r => trainArtists.Contains(ArtistName.Normalise(r.Artist)));
        Assert.InRange(validation.Count / (double)rows.Count, 0.19, 0.21);
        Assert.InRange(validation.Count(r => r.Label) / (double)validation.Count, 0.48, 0.52);
    }
}
