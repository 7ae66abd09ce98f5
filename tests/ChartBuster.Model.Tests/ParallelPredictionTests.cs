using System.Globalization;
using ChartBuster.Songs.Csv;
using ChartBuster.Model.Scoring;
using Microsoft.ML;

namespace ChartBuster.Model.Tests;

/// <summary>
/// Scoring a file or a large array by ML.NET (the reference, and the fallback for a model that does not compile) and by
/// the served evaluator: the chunked, every-core paths give each song the probability of one plain ML.NET call.
/// </summary>
public sealed class ParallelPredictionTests(ReferencedModel fixture) : IClassFixture<ReferencedModel>
{
    [Fact]
    public void Every_song_of_the_real_pool_gets_the_probability_of_one_plain_ml_net_call()
    {
        var pooled = PooledReadyCsv();
        var rows = ReadyDataset.Load(new MemoryStream(pooled), "pooled.csv");
        var ml = new MLContext();
        var expected = ModelTrainer.Predict(ml, fixture.Trained.Transformer, rows.Select(r => r.Input));

        using var scored = new MemoryStream();
        var summary = new CsvScorer(new ModelEvaluator(ml, fixture.Trained.Transformer, compile: false)).Score(new MemoryStream(pooled), "pooled.csv", scored);

        var actual = Probabilities(scored.ToArray());
        Assert.True(rows.Count > 4 * 8192, "the pool spans several chunks, each split across the cores");
        Assert.Equal((long)rows.Count, summary.RowsScored);
        Assert.Equal(expected.Length, actual.Count);
        Assert.All(Enumerable.Range(0, actual.Count), i => Assert.Equal(expected[i], actual[i], 6));
        Assert.True(summary.ModelTime > TimeSpan.Zero);
    }

    [Fact]
    public void A_large_array_served_on_every_core_gets_the_probabilities_of_one_plain_ml_net_call_in_order()
    {
        var inputs = ReadyDataset.Load(new MemoryStream(PooledReadyCsv()), "pooled.csv").Select(r => r.Input).Take(3 * ParallelPrediction.MinRowsPerPart + 7).ToList();
        var expected = ModelTrainer.Predict(new MLContext(), fixture.Trained.Transformer, inputs);

        var actual = ParallelPrediction.Predict(new MLContext(), fixture.Trained.Transformer, inputs);
        var served = fixture.Model.PredictMany(inputs);

        Assert.Equal(expected.Length, actual.Length);
        Assert.All(Enumerable.Range(0, actual.Length), i => Assert.Equal(expected[i], actual[i], 9));
        Assert.NotNull(fixture.Model.Evaluator.Compiled);
        Assert.All(Enumerable.Range(0, served.Length), i => Assert.Equal(expected[i], served[i], 6));
    }

    private static List<double> Probabilities(byte[] scored) => ProductModels.ScoredProbabilities(scored);

    private static byte[] PooledReadyCsv() => ProductModels.PooledReady();
}
