using ChartBuster.Model;
using ChartBuster.Model.Reference;
using ChartBuster.Model.Registry;

namespace ChartBuster.Web.Tests;

/// <summary>Two real models (quick candidates on two decades) written as model folders, once per test run.</summary>
public sealed class TrainedModels : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("chartbuster-web-models-");

    public TrainedModels()
    {
        First = Write("first", RepositoryPaths.DecadeFiles()[0]);
        Second = Write("second", RepositoryPaths.DecadeFiles()[5]);
    }

    /// <summary>The folder of each model: model.zip, metrics.json, model-card.json.</summary>
    public string First { get; }

    public string Second { get; }

    public void Dispose() => _root.Delete(recursive: true);

    private string Write(string name, string decadeFile)
    {
        var rows = ReadyDataset.Load(new MemoryStream(RealData.ReadyCsv(decadeFile)), decadeFile);
        var trained = new ModelTrainer(new TrainingOptions { Candidates = ModelCandidate.Quick, Folds = 0 }).Train(rows);
        var folder = Directory.CreateDirectory(Path.Combine(_root.FullName, name)).FullName;
        var card = ModelFiles.CardFor(trained, $"v-{name}", name, DateTimeOffset.UtcNow, 42);
        File.WriteAllBytes(Path.Combine(folder, ModelFiles.Model), ModelFiles.ModelBytes(trained, ModelReference.Build(trained, rows)));
        File.WriteAllBytes(Path.Combine(folder, ModelFiles.Metrics), ModelFiles.MetricsBytes(trained.Metrics));
        File.WriteAllBytes(Path.Combine(folder, ModelFiles.Card), ModelFiles.CardBytes(card));
        return folder;
    }
}
