using ChartBuster.Model;
using Microsoft.ML;

namespace ChartBuster.Training;

/// <summary><c>score --model model.zip --input RAW_OR_READY.csv --output SCORED.csv</c>.</summary>
internal static class ScoreCommand
{
    public static int Run(CommandLine args, TextWriter output, TextWriter error)
    {
        var modelPath = args.Value("--model");
        var input = args.Value("--input");
        var scoredPath = args.Value("--output");
        if (modelPath is null || input is null || scoredPath is null)
        {
            error.WriteLine("usage: score --model model.zip --input RAW_OR_READY.csv --output SCORED.csv");
            return ExitCodes.Usage;
        }

        foreach (var path in (string[])[modelPath, input])
        {
            if (!File.Exists(path))
            {
                error.WriteLine($"{path} does not exist.");
                return ExitCodes.Usage;
            }
        }

        var ml = new MLContext();
        var model = ml.Model.Load(modelPath, out _);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ScoringSummary summary;
        try
        {
            using var source = File.OpenRead(input);
            using var target = File.Create(scoredPath);
            summary = new CsvScorer(ml, model).Score(source, input, target);
        }
        catch (FormatException e)
        {
            File.Delete(scoredPath);
            error.WriteLine($"{input}: {e.Message}");
            return ExitCodes.Failed;
        }

        output.WriteLine(
            $"scored {summary.RowsScored} of {summary.RowsRead} rows in {clock.Elapsed.TotalSeconds:F2} s " +
            $"({summary.RowsScored / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):F0} rows/s); {summary.RowsRejected} rejected" +
            (summary.RowsRejected > 0 ? $" ({string.Join(", ", summary.RejectedByReason.Select(r => $"{r.Key}: {r.Value}"))})" : "") +
            $"; model evaluation {summary.ModelTime.TotalSeconds:F2} s of it -> {scoredPath}");
        return ExitCodes.Ok;
    }
}
