namespace ChartBuster.Model.Tests;

public class GroupedSplitTests
{
    private static List<TrainingRow> Rows(int songs, int copiesOfEach = 1) =>
        [.. Enumerable.Range(0, songs).SelectMany(s => Enumerable.Range(0, copiesOfEach).Select(_ =>
            new TrainingRow($"spotify:track:{s:D22}", new SongModelInput { Label = s % 3 == 0 })))];

    [Fact]
    public void Every_copy_of_a_song_lands_in_the_same_fold()
    {
        var rows = Rows(300, copiesOfEach: 2);

        var folds = GroupedSplit.AssignFolds(rows, 5, seed: 7);

        Assert.All(rows.Select((r, i) => (r.Uri, Fold: folds[i])).GroupBy(x => x.Uri), g => Assert.Single(g.Select(x => x.Fold).Distinct()));
    }

    [Fact]
    public void Each_fold_gets_its_share_of_hits_and_non_hits()
    {
        var rows = Rows(1000);

        var folds = GroupedSplit.AssignFolds(rows, 5, seed: 7);

        for (var f = 0; f < 5; f++)
        {
            var members = rows.Where((_, i) => folds[i] == f).ToList();
            Assert.InRange(members.Count, 198, 202);
            Assert.InRange(members.Count(r => r.Label), 66, 68);
        }
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
}
