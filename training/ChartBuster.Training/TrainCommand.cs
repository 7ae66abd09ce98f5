using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ChartBuster.Cli;
using ChartBuster.Model.Registry;
using ChartBuster.Model;
using ChartBuster.Songs.Files;

namespace ChartBuster.Training;

/// <summary>
/// <c>train --input READY.csv [--input …] --output-dir DIR [--profile full|quick|single] [--dataset-id ID]</c>:
/// full = every default candidate cross-validated; quick = one small model; single = the peer-sized LightGbm, no CV.
/// </summary>
internal static class TrainCommand
{
    private static readonly string[] s_profiles = ["full", "quick", "single"];

    public static Command Create()
    {
        var inputs = CommonOptions.Inputs("A ready.csv (the preprocess output); repeat to pool several.");
        var outputDir = CommonOptions.OutputDir("Where model.zip, metrics.json and model-card.json are written (created if missing).");
        var profile = new Option<string>("--profile")
        {
            Description = "full: every default candidate, 5-fold cross-validated; quick: one small model in seconds; single: the peer-sized LightGbm, no cross-validation.",
            DefaultValueFactory = _ => "full",
        };
        profile.AcceptOnlyFromAmong(s_profiles);
        var datasetId = new Option<string>("--dataset-id") { Description = "The dataset named in the model's version and card (default: the input file names joined by +).", HelpName = "ID" };
        var command = new Command("train", "Train a model on ready files; prints its figures on artists it has not seen.") { inputs, outputDir, profile, datasetId };
        command.SetAction(parsed => Run(
            new TrainRequest([.. parsed.GetRequiredValue(inputs)], parsed.GetRequiredValue(outputDir), parsed.GetRequiredValue(profile), parsed.GetValue(datasetId)),
            parsed.InvocationConfiguration.Output,
            parsed.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(TrainRequest request, TextWriter output, TextWriter error)
    {
        var (inputs, outputDir) = (request.Inputs, request.OutputDir);
        if (inputs.FirstOrDefault(i => LocalPaths.IsInside(i, outputDir)) is { } inside)
        {
            error.WriteLine($"The input {inside} is inside the output folder {outputDir}, where the model files are written: choose another --output-dir.");
            return ExitCodes.Usage;
        }

        var created = !Directory.Exists(outputDir);
        var exit = ExitCodes.IoError;
        try
        {
            Directory.CreateDirectory(outputDir); // before a training that would be lost if the folder cannot be made
            exit = Train(request, output, error);
            return exit;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"Cannot read or write the files: {e.Message}");
            return exit;
        }
        finally
        {
            if (exit != ExitCodes.Ok && created && Directory.Exists(outputDir) && !Directory.EnumerateFileSystemEntries(outputDir).Any())
            {
                Directory.Delete(outputDir); // a failed run leaves no trace
            }
        }
    }

    private static int Train(TrainRequest request, TextWriter output, TextWriter error)
    {
        var (inputs, outputDir) = (request.Inputs, request.OutputDir);
        var started = Math.Max(0, (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds);
        var clock = Stopwatch.StartNew();
        var progress = new ProgressLine(output);
        var rows = new List<TrainingRow>();
        foreach (var input in inputs)
        {
            try
            {
                rows.AddRange(ReadyDataset.Load(input));
            }
            catch (Exception e) when (e is InvalidDataException or FileNotFoundException)
            {
                error.WriteLine(e.Message);
                return ExitCodes.Failed;
            }

            progress.Report($"loaded {input}: {rows.Count} rows so far");
        }

        var options = request.Profile switch
        {
            "quick" => new TrainingOptions { Candidates = ModelCandidate.Quick },
            "single" => new TrainingOptions { Candidates = [ModelCandidate.PeerSized], Folds = 0 },
            _ => new TrainingOptions(),
        };
        var timings = new Dictionary<string, double> { ["processStart"] = Math.Round(started, 2), ["load"] = Lap(clock) };
        var trained = new ModelTrainer(options, progress.Report).Train(rows);
        clock.Restart();
        var trainedAt = DateTimeOffset.UtcNow;
        var datasetId = request.DatasetId ?? string.Join("+", inputs.Select(Path.GetFileNameWithoutExtension));
        var version = ModelFiles.NewVersion(datasetId, trainedAt);
        timings = new(timings.Concat(trained.TimingsSeconds));
        var model = trained.ModelZip;
        var card = ModelFiles.CardFor(trained, version, datasetId, trainedAt, options.Seed) with { ModelSha256 = ModelFiles.Sha256(model), TimingsSeconds = timings };
        File.WriteAllBytes(Path.Combine(outputDir, ModelFiles.Model), model);
        File.WriteAllBytes(Path.Combine(outputDir, ModelFiles.Metrics), ModelFiles.MetricsBytes(trained.Metrics));
        File.WriteAllBytes(Path.Combine(outputDir, ModelFiles.Card), ModelFiles.CardBytes(card));
        timings["writing"] = Lap(clock);
        output.WriteLine(TimeBreakdown(timings));
        var v = trained.Metrics.Validation;
        var cv = trained.Metrics.CrossValidation;
        var song = trained.Metrics.SongGroupedValidation;
        progress.Done(
            $"model {version} ({trained.Candidate.Name}), on artists it has not seen: validation AUC {v.Auc:F4}, accuracy {v.Accuracy:F4}, log loss {v.LogLoss:F4}, Brier {v.Brier:F4}" +
            (cv is null ? "" : $"; {cv.Folds}-fold CV AUC {cv.AucMean:F4} ± {cv.AucStdDev:F4}, accuracy {cv.Pooled.Accuracy:F4}, log loss {cv.Pooled.LogLoss:F4}, Brier {cv.Pooled.Brier:F4}") +
            (song is null ? "" : $"; song-grouped split for comparison: AUC {song.Auc:F4}, log loss {song.LogLoss:F4} (gap {trained.Metrics.ArtistGap?.AucGap:F4})"));
        return ExitCodes.Ok;
    }

    private static double Lap(Stopwatch clock)
    {
        var seconds = Math.Round(clock.Elapsed.TotalSeconds, 2);
        clock.Restart();
        return seconds;
    }

    /// <summary>Where the wall time went, in the order it was spent (the training reference and model.zip are built beside
    /// the permutation importance; only the wait for them after it adds to the wall time). The benchmarks read this line.</summary>
    internal static string TimeBreakdown(IReadOnlyDictionary<string, double> seconds)
    {
        string[] stages = ["processStart", "load", "crossValidation", "finalFit", "songGroupedComparison", "evaluation", "importance", "packageWait", "writing"];
        var wall = stages.Sum(s => seconds.GetValueOrDefault(s));
        var parts = stages.Where(seconds.ContainsKey).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s} {seconds[s]:F2}"));
        var beside = seconds.TryGetValue("reference", out var reference) && seconds.TryGetValue("saving", out var saving)
            ? string.Create(CultureInfo.InvariantCulture, $" (reference {reference:F2} and saving {saving:F2} beside importance)")
            : "";
        return string.Create(CultureInfo.InvariantCulture, $"time (s): {string.Join(", ", parts)}; sum {wall:F2}{beside}");
    }
}

/// <summary>What <c>train</c> was asked to do, parsed and checked by the command line.</summary>
internal sealed record TrainRequest(IReadOnlyList<string> Inputs, string OutputDir, string Profile, string? DatasetId);
