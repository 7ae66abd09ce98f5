namespace ChartBuster.Model.Tests;

public sealed class ModelTrainerInputTests
{
    private static List<TrainingRow> Rows(bool? onlyTarget)
    {
        var rows = ReadyDataset.Load(new MemoryStream(RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[0])), "dataset-of-00s.csv");
        return [.. rows.Where(r => onlyTarget is not { } target || r.Label == target).Take(400)];
    }

    [Theory]
    [InlineData(false, "target 0")]
    [InlineData(true, "target 1")]
    public void Refuses_a_file_with_only_one_class_in_plain_words(bool target, string which)
    {
        var error = Assert.Throws<InvalidDataException>(() => new ModelTrainer(new TrainingOptions { Candidates = ModelCandidate.Quick, Folds = 0 }).Train(Rows(target)));

        Assert.Equal($"only one class in the file: all 400 songs have {which}; a model needs songs that charted and songs that did not", error.Message);
    }

    [Fact]
    public void Reading_a_ready_file_stops_at_the_row_limit_and_says_the_file_is_too_large()
    {
        var csv = RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[0]);
        var all = ReadyDataset.Load(new MemoryStream(csv), "dataset-of-00s.csv");

        var error = Assert.Throws<DatasetTooLargeException>(() => ReadyDataset.Load(new MemoryStream(csv), "dataset-of-00s.csv", maxRows: all.Count - 1));

        Assert.Equal(all.Count - 1, error.Limit);
        Assert.Contains($"has more than {all.Count - 1:N0} rows", error.Message, StringComparison.Ordinal);
        Assert.Equal(all.Count, ReadyDataset.Load(new MemoryStream(csv), "dataset-of-00s.csv", maxRows: all.Count).Count);
    }
}
