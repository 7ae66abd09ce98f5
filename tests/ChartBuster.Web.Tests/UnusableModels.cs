using ChartBuster.Model;
using ChartBuster.Model.Registry;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ChartBuster.Web.Tests;

/// <summary>
/// Real ML.NET models this site cannot serve, written as model folders: each has the song inputs the schema
/// check looks for, so only loading it for real (an engine, a smoke prediction) finds the problem.
/// </summary>
public static class UnusableModels
{
    /// <summary>A model whose pipeline also needs a "popularity" column, which songs do not have.</summary>
    public static string NeedingAColumnSongsDoNotHave(string version)
    {
        var ml = new MLContext(7);
        var rows = Enumerable.Range(0, 200).Select(i => new WiderInput { Popularity = i % 7, Label = i % 3 == 0 }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.Concatenate("Features", nameof(WiderInput.Numeric), nameof(WiderInput.Popularity))
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 5));
        var model = pipeline.Fit(data);
        var folder = Directory.CreateTempSubdirectory("chartbuster-wider-model-").FullName;
        using (var zip = File.Create(Path.Combine(folder, ModelFiles.Model)))
        {
            ml.Model.Save(model, data.Schema, zip);
        }

        return folder;
    }

    private sealed class WiderInput
    {
        [VectorType(27)]
        public float[] Numeric { get; set; } = new float[SongModelInput.NumericCount];

        public string Key { get; set; } = "5";

        public string Mode { get; set; } = "1";

        public string TimeSignature { get; set; } = "4";

        public string Decade { get; set; } = "2000";

        public float Popularity { get; set; }

        public bool Label { get; set; }
    }
}
