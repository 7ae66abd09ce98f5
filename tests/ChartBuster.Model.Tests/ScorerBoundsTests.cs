using System.Text;
using ChartBuster.Model.Registry;
using Microsoft.ML;

namespace ChartBuster.Model.Tests;

/// <summary>Alone in its collection: it measures the process's allocations, which parallel tests would blur.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationMeasurements
{
    public const string Name = "allocation measurements";
}

[Collection(AllocationMeasurements.Name)]
public sealed class ScorerBoundsTests
{
    private static readonly Lazy<(MLContext Ml, ITransformer Model)> s_model = new(() =>
    {
        var rows = ReadyDataset.Load(new MemoryStream(RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[5])), "ready.csv");
        var trained = new ModelTrainer(new TrainingOptions { Candidates = ModelCandidate.Quick, Folds = 0 }).Train(rows);
        var ml = new MLContext();
        return (ml, ml.Model.Load(new MemoryStream(ModelFiles.ModelBytes(trained)), out _));
    });

    [Fact]
    public void Scoring_rows_of_fifty_thousand_fields_allocates_a_bounded_amount()
    {
        var (ml, model) = s_model.Value;
        const int extra = 50_000;
        var header = "danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,duration_ms,time_signature,chorus_hit,sections";
        var text = new StringBuilder(header).Append(string.Concat(Enumerable.Range(0, extra).Select(i => $",c{i}"))).Append('\n');
        var row = string.Concat(Enumerable.Repeat("x,", 15)) + string.Concat(Enumerable.Repeat("y,", extra - 1)) + "y\n";
        for (var i = 0; i < 400; i++)
        {
            text.Append(row);
        }

        var input = new MemoryStream(Encoding.ASCII.GetBytes(text.ToString()));
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var summary = new CsvScorer(ml, model).Score(input, "wide.csv", Stream.Null);

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(400, summary.RowsRejected);
        Assert.True(allocated < 32L << 20, $"scoring {input.Length >> 20} MiB of wide rows allocated {allocated >> 20} MiB");
    }
}
