using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ChartBuster.Cli;
using ChartBuster.Preprocess.Storage;
using ChartBuster.Songs;
using ChartBuster.Songs.Files;

namespace ChartBuster.Preprocess;

/// <summary>
/// <c>--input RAW.csv --output-dir DIR [--max-rejected-share 0.2]</c>: the Lambda's cleaning on local files. Prints the
/// report as JSON; exits with <see cref="ExitCodes"/> (0 ready, 3 file refused with its report written, 2 usage error,
/// 4 a file or folder cannot be read or written). Every error is one line on stderr; nothing is touched before the
/// arguments are known to be safe (an input inside the output folder would be deleted by the clean-up of earlier outputs).
/// </summary>
internal static class LocalCommand
{
    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        CommandLineRunner.InvokeAsync(Root(), args, output, error, cancellationToken);

    private static RootCommand Root()
    {
        var input = CommonOptions.Input("The raw song CSV (or .csv.gz) to clean.");
        var outputDir = CommonOptions.OutputDir("Where cleaned.csv, rejects.csv, report.json and, only if the file passes, ready.csv are written (earlier outputs there are removed first).");
        var maxRejectedShare = new Option<double>("--max-rejected-share")
        {
            Description = "The share of invalid rows above which the file is refused (0 to 1).",
            DefaultValueFactory = _ => new CleaningOptions().MaxRejectedShare,
            HelpName = "SHARE",
        };
        maxRejectedShare.Accepting(
            (string text, out double share) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out share),
            share => share is >= 0 and <= 1, "a number from 0 to 1");
        var root = new RootCommand("ChartBuster preprocess: the Lambda's cleaning on a local file; prints the report as JSON. (Started by Lambda without arguments, it is the function.)")
        {
            input, outputDir, maxRejectedShare,
        };
        root.SetAction((parsed, cancellationToken) => RunAsync(
            parsed.GetRequiredValue(input),
            parsed.GetRequiredValue(outputDir),
            new CleaningOptions { MaxRejectedShare = parsed.GetValue(maxRejectedShare) },
            parsed.InvocationConfiguration,
            cancellationToken));
        return root;
    }

    private static async Task<int> RunAsync(string input, string outputDir, CleaningOptions options, InvocationConfiguration console, CancellationToken cancellationToken)
    {
        var (output, error) = (console.Output, console.Error);
        if (!File.Exists(input))
        {
            await error.WriteLineAsync($"The input file '{input}' does not exist.");
            return ExitCodes.Usage;
        }

        if (LocalPaths.IsInside(input, outputDir))
        {
            await error.WriteLineAsync($"The input file '{input}' is inside the output folder '{outputDir}', whose earlier outputs are removed first: choose another --output-dir.");
            return ExitCodes.Usage;
        }

        try
        {
            return await PrepareAsync(input, outputDir, options, output, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"Cannot read or write the files: {e.Message}");
            return ExitCodes.IoError;
        }
    }

    private static async Task<int> PrepareAsync(string input, string outputDir, CleaningOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var store = new LocalDatasetStore(outputDir);
        store.Clear();
        var file = new FileInfo(input);
        var datasetId = DatasetIds.From(file.Name, $"{file.Length}-{file.LastWriteTimeUtc.Ticks}");
        var report = await new DatasetPreparer(options).PrepareAsync(
            _ => Task.FromResult<Stream>(new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0)),
            input, datasetId, store, cancellationToken, file.Length);
        await output.WriteLineAsync(JsonSerializer.Serialize(report, SongJsonContext.Default.CleaningReport));
        return report.IsReady ? ExitCodes.Ok : ExitCodes.Refused;
    }
}
