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
        First = Write("first", RepositoryPaths.DecadeFiles()[0], RepositoryPaths.DecadeFiles()[1]);
        Second = Write("second", RepositoryPaths.DecadeFiles()[5]);
        Bare = Path.Combine(_root.FullName, "bare");
    }

    /// <summary>The folder of each model: model.zip (with its training reference), metrics.json, model-card.json. The first
    /// learned from the 2000s and 2010s files, the second from the 1990s file.</summary>
    public string First { get; }

    public string Second { get; }

    /// <summary>The second model as models were saved before they carried a training reference.</summary>
    public string Bare { get; }

    public void Dispose() => _root.Delete(recursive: true);

    private string Write(string name, params string[] decadeFiles)
    {
        var rows = decadeFiles.SelectMany(f => ReadyDataset.Load(new MemoryStream(RealData.ReadyCsv(f)), f)).ToList();
        var trained = new ModelTrainer(new TrainingOptions { Candidates = ModelCandidate.Quick, Folds = 0 }).Train(rows);
        var folder = Directory.CreateDirectory(Path.Combine(_root.FullName, name)).FullName;
        var model = ModelFiles.ModelBytes(trained, ModelReference.Build(trained, rows));
        var card = ModelFiles.CardFor(trained, $"v-{name}", name, DateTimeOffset.UtcNow, 42) with { ModelSha256 = ModelFiles.Sha256(model) };
        File.WriteAllBytes(Path.Combine(folder, ModelFiles.Model), model);
        File.WriteAllBytes(Path.Combine(folder, ModelFiles.Metrics), ModelFiles.MetricsBytes(trained.Metrics));
        File.WriteAllBytes(Path.Combine(folder, ModelFiles.Card), ModelFiles.CardBytes(card));
        if (name == "second")
        {
            var bare = Directory.CreateDirectory(Path.Combine(_root.FullName, "bare")).FullName;
            var bareModel = ModelFiles.ModelBytes(trained);
            File.WriteAllBytes(Path.Combine(bare, ModelFiles.Model), bareModel);
            File.WriteAllBytes(Path.Combine(bare, ModelFiles.Card), ModelFiles.CardBytes(card with { ModelVersion = "v-bare", ModelSha256 = ModelFiles.Sha256(bareModel) }));
        }

        return folder;
    }
}
