using System.IO.Compression;
using System.Text;
using ChartBuster.Model.Reference;
using ChartBuster.Model.Registry;
using ChartBuster.Model.Serving;
using ChartBuster.Songs;
using Microsoft.ML;

namespace ChartBuster.Model.Tests;

public class EnsembleTests
{
    private static readonly ModelCandidate Tree = ModelCandidate.LightGbm(leaves: 15, trees: 60, rate: 0.1);
    private static readonly ModelCandidate Other = ModelCandidate.FastTree(leaves: 10, trees: 60, rate: 0.1);
    private static readonly ModelCandidate Smooth = ModelCandidate.Gam(iterations: 200, rate: 0.05);

    [Fact]
    public void An_ensemble_is_one_saved_pipeline_that_serves_the_mean_log_odds_of_its_members()
    {
        var rows = ReadyDataset.Load(new MemoryStream(RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[1])), "dataset-of-10s.csv");
        var ensemble = ModelCandidate.Ensemble(Tree, Other, Smooth);
        var trained = new ModelTrainer(new TrainingOptions { Candidates = [ensemble], Folds = 0 }).Train(rows);
        var songs = trained.ValidationRows.Take(200).ToList();

        var served = ServingModel.Load(new MemoryStream(ModelFiles.ModelBytes(trained)), "ensemble");

        var pool = rows.Except(trained.ValidationRows).ToList();
        var members = new[] { Tree, Other, Smooth }.Select(m => CrossValidation.For(m)(pool)(songs)).ToList();
        for (var i = 0; i < songs.Count; i++)
        {
            var meanLogOdds = members.Average(m => Math.Log(m[i] / (1 - m[i])));
            Assert.Equal(1 / (1 + Math.Exp(-meanLogOdds)), served.Predict(songs[i].Input), 4);
        }

        Assert.Equal(served.PredictMany(songs.Select(r => r.Input)), songs.Select(r => served.Predict(r.Input)), (a, b) => Math.Abs(a - b) < 1e-6);
        Assert.Equal("Ensemble", trained.Candidate.Trainer);
        Assert.Contains("0.LightGbm.numberOfLeaves", trained.Candidate.Parameters.Keys);
    }

    [Fact]
    public void The_products_shape_of_ensemble_serves_scores_and_explains_like_a_single_model()
    {
        var rows = ReadyDataset.Load(new MemoryStream(RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[1])), "dataset-of-10s.csv");
        var shaped = ModelCandidate.Ensemble(Tree.Seeing(DerivedFeatures.DecadeRelativeColumn), Tree.Seeing(DerivedFeatures.InteractionsColumn));
        var trained = new ModelTrainer(new TrainingOptions { Candidates = [shaped], Folds = 0 }).Train(rows);
        var bytes = ModelFiles.ModelBytes(trained, ModelReference.Build(trained, rows));

        var served = ServingModel.Load(new MemoryStream(bytes), "shaped");
        var song = trained.ValidationRows[0].Input;
        var real = served.Reference!.Songs.Songs[0].ToSong();
        var typical = ReferencedModel.TypicalOf(served.Reference.Training, (int)real[SongColumn.Decade]);
        var explanation = ShapleyExplanation.Explain(served, real, typical);
        using var scored = new MemoryStream();
        var ml = new MLContext();
        new CsvScorer(ml, ml.Model.Load(new MemoryStream(bytes), out _)).Score(new MemoryStream(RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[1])), "10s.csv", scored);

        Assert.InRange(trained.Metrics.Validation.Auc, 0.75, 1);
        Assert.Equal(served.PredictMany([song])[0], served.Predict(song), 6);
        Assert.Equal(explanation.Gap, explanation.Effects.Sum(e => e.Effect), 9);
        Assert.Contains(explanation.Effects, e => Math.Abs(e.Effect) > 0.001);
        Assert.All(ShapleyExplanation.Explain(served, typical, typical).Effects, e => Assert.Equal(0, e.Effect, 9));
        var firstScored = Encoding.UTF8.GetString(scored.ToArray()).Split('\n')[1].Split(',');
        Assert.Equal(served.Predict(rows[0].Input), double.Parse(firstScored[^3], System.Globalization.CultureInfo.InvariantCulture), 5);
        Assert.Contains(trained.Metrics.PermutationImportance, f => f.Feature == "loudness" && f.AucDrop > 0);
    }

    [Fact]
    public void A_model_with_a_component_this_code_does_not_know_is_refused_and_the_old_one_keeps_serving()
    {
        var rows = ReadyDataset.Load(new MemoryStream(RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[1])), "dataset-of-10s.csv");
        var trained = new ModelTrainer(new TrainingOptions { Candidates = [Tree.Seeing(DerivedFeatures.DecadeRelativeColumn)], Folds = 0 }).Train(rows);
        var known = ModelFiles.ModelBytes(trained);
        var fromTheFuture = RenameInZip(known, DerivedFeatures.ContractName, DerivedFeatures.ContractName[..^1] + "9");
        var current = new CurrentModel();
        Assert.Null(current.TryServe(new MemoryStream(known), "v1", "test", null, null, DateTimeOffset.UnixEpoch));

        var refusal = current.TryServe(new MemoryStream(fromTheFuture), "v2", "test", null, null, DateTimeOffset.UnixEpoch);

        Assert.Contains("model v2 cannot be read", refusal, StringComparison.Ordinal);
        Assert.Contains("ChartBuster.DerivedFeatures.v9", refusal, StringComparison.Ordinal);
        Assert.Equal("v1", current.Serving!.Predict(trained.ValidationRows[0].Input).ModelVersion);
    }

    /// <summary>The same model.zip with one string of its component registry changed (same length, so nothing else moves).</summary>
    private static byte[] RenameInZip(byte[] zip, string from, string to)
    {
        using var input = new ZipArchive(new MemoryStream(zip));
        var output = new MemoryStream();
        var renamed = 0;
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in input.Entries)
            {
                using var content = new MemoryStream();
                using (var stream = entry.Open())
                {
                    stream.CopyTo(content);
                }

                var bytes = content.ToArray();
                foreach (var encoding in new Encoding[] { Encoding.UTF8, Encoding.Unicode })
                {
                    var (old, replacement) = (encoding.GetBytes(from), encoding.GetBytes(to));
                    for (var i = bytes.AsSpan().IndexOf(old); i >= 0; i = bytes.AsSpan().IndexOf(old))
                    {
                        replacement.CopyTo(bytes, i);
                        renamed++;
                    }
                }

                using var target = archive.CreateEntry(entry.FullName).Open();
                target.Write(bytes);
            }
        }

        Assert.True(renamed > 0, $"'{from}' is not in the model");
        return output.ToArray();
    }

    [Fact]
    public void An_ensemble_needs_two_members()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelCandidate.Ensemble(Tree));
    }
}
