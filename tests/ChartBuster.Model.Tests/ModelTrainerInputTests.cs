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
}
