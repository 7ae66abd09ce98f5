using System.Globalization;
using System.Text;
using ChartBuster.Songs.Csv;
using Microsoft.ML;

namespace ChartBuster.Model.Tests;

/// <summary>Scoring a file: the chunked, every-core path gives each song the probability the model gives it in one plain call.</summary>
public sealed class CsvScorerTests(ReferencedModel fixture) : IClassFixture<ReferencedModel>
{
    [Fact]
    public void Every_song_of_the_real_pool_gets_the_probability_of_one_plain_ml_net_call()
    {
        var pooled = PooledReadyCsv();
        var rows = ReadyDataset.Load(new MemoryStream(pooled), "pooled.csv");
        var ml = new MLContext();
        var expected = ModelTrainer.Predict(ml, fixture.Trained.Transformer, rows.Select(r => r.Input));

        using var scored = new MemoryStream();
        var summary = new CsvScorer(ml, fixture.Trained.Transformer).Score(new MemoryStream(pooled), "pooled.csv", scored);

        var actual = Probabilities(scored.ToArray());
        Assert.True(rows.Count > 4 * 8192, "the pool spans several chunks, each split across the cores");
        Assert.Equal((long)rows.Count, summary.RowsScored);
        Assert.Equal(expected.Length, actual.Count);
        Assert.All(Enumerable.Range(0, actual.Count), i => Assert.Equal(expected[i], actual[i], 6));
        Assert.True(summary.ModelTime > TimeSpan.Zero);
    }

    /// <summary>The hit_probability of every scored row (the third field from the end).</summary>
    private static List<double> Probabilities(byte[] scored)
    {
        var reader = new CsvRecordReader(new MemoryStream(scored));
        reader.Read();
        var probabilities = new List<double>();
        while (reader.Read())
        {
            probabilities.Add(double.Parse(reader[reader.FieldCount - 3], CultureInfo.InvariantCulture));
        }

        return probabilities;
    }

    /// <summary>The six real decade files' ready.csv under one header.</summary>
    private static byte[] PooledReadyCsv()
    {
        var text = new StringBuilder();
        foreach (var file in RepositoryPaths.DecadeFiles())
        {
            var lines = Encoding.UTF8.GetString(RealData.ReadyCsv(file)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (text.Length == 0)
            {
                text.Append(lines[0]).Append('\n');
            }

            foreach (var line in lines.Skip(1))
            {
                text.Append(line).Append('\n');
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
