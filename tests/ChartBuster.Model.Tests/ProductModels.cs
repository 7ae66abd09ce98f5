using System.Globalization;
using System.Text;
using ChartBuster.Model.Serving;
using ChartBuster.Songs.Csv;
using Microsoft.ML;

namespace ChartBuster.Model.Tests;

/// <summary>
/// The two models the product trains, fitted on the whole real pool (the six decade files, cleaned and ready) and
/// loaded from their saved model.zip as the web app and <c>score</c> load them: the default profile (two regularised
/// LightGbm members seeing the derived features, averaged in logit space) and the single, peer-sized profile.
/// </summary>
public sealed class ProductModels
{
    public ProductModels()
    {
        PooledReadyCsv = PooledReady();
        Rows = ReadyDataset.Load(new MemoryStream(PooledReadyCsv), "pooled.csv");
        Inputs = [.. Rows.Select(r => r.Input)];
        var ml = new MLContext(42);
        var pool = ml.Data.LoadFromEnumerable(Inputs);
        Default = Saved(ml, ModelCandidate.Defaults[0].Pipeline(ml).Fit(pool), pool.Schema, "default");
        PeerSized = Saved(ml, ModelCandidate.PeerSized.Pipeline(ml).Fit(pool), pool.Schema, "single");
    }

    /// <summary>The six real decade files' ready.csv under one header.</summary>
    public byte[] PooledReadyCsv { get; }

    public IReadOnlyList<TrainingRow> Rows { get; }

    public IReadOnlyList<SongModelInput> Inputs { get; }

    public ServingModel Default { get; }

    public ServingModel PeerSized { get; }

    public ServingModel Profile(string name) => name == "default" ? Default : PeerSized;

    private static ServingModel Saved(MLContext ml, ITransformer model, DataViewSchema schema, string version)
    {
        using var zip = new MemoryStream();
        ml.Model.Save(model, schema, zip);
        return ServingModel.Load(new MemoryStream(zip.ToArray()), version);
    }

    /// <summary>The six real decade files' ready.csv under one header.</summary>
    public static byte[] PooledReady()
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

    /// <summary>The hit_probability of every scored row (the third field from the end).</summary>
    public static List<double> ScoredProbabilities(byte[] scored)
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
}
