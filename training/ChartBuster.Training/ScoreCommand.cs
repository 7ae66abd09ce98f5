using System.CommandLine;
using ChartBuster.Cli;
using ChartBuster.Model;
using ChartBuster.Model.Serving;
using ChartBuster.Songs.Files;

namespace ChartBuster.Training;

/// <summary>
/// <c>score --model model.zip --input RAW_OR_READY.csv --output SCORED.csv</c>. Every error is one line on stderr with
/// an exit code of <see cref="ExitCodes"/>; the output never overwrites the input or the model.
/// </summary>
internal static class ScoreCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The model.zip that train or the registry wrote.", Required = true, HelpName = "FILE" };
        var input = CommonOptions.Input("Songs to score: a raw, cleaned or ready CSV, or .csv.gz.");
        var output = CommonOptions.Output("The scored CSV: the input rows plus hit_probability, predicted_hit and reject_reason.");
        var command = new Command("score", "Score every song of a CSV with a model.") { model, input, output };
        command.SetAction(parsed => Run(
            parsed.GetRequiredValue(model), parsed.GetRequiredValue(input), parsed.GetRequiredValue(output),
            parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string modelPath, string input, string scoredPath, TextWriter output, TextWriter error)
    {
        foreach (var path in (string[])[modelPath, input])
        {
            if (!File.Exists(path))
            {
                error.WriteLine($"{path} does not exist.");
                return ExitCodes.Usage;
            }
        }

        if (LocalPaths.AreSame(scoredPath, input) || LocalPaths.AreSame(scoredPath, modelPath))
        {
            error.WriteLine($"--output {scoredPath} would overwrite the {(LocalPaths.AreSame(scoredPath, input) ? "input" : "model")}: choose another file.");
            return ExitCodes.Usage;
        }

        try
        {
            return Score(modelPath, input, scoredPath, output, error);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"Cannot read or write the files: {e.Message}");
            return ExitCodes.IoError;
        }
    }

    private static int Score(string modelPath, string input, string scoredPath, TextWriter output, TextWriter error)
    {
        ServingModel model;
        try
        {
            using var zip = File.OpenRead(modelPath);
            model = ServingModel.Load(zip, Path.GetFileName(modelPath));
        }
        catch (UnusableModelException e)
        {
            error.WriteLine($"{modelPath}: {e.Message}");
            return ExitCodes.Failed;
        }

        output.WriteLine($"model {Path.GetFileName(modelPath)} evaluated by {model.Evaluator.Description}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ScoringSummary summary;
        try
        {
            using var source = File.OpenRead(input);
            using var target = File.Create(scoredPath);
            summary = new CsvScorer(model.Evaluator).Score(source, input, target);
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
