using System.Globalization;
using System.Text.Json;
using ChartBuster.Preprocess.Storage;
using ChartBuster.Songs;
using ChartBuster.Songs.Files;

namespace ChartBuster.Preprocess;

/// <summary>
/// <c>--input RAW.csv --output-dir DIR [--max-rejected-share 0.2]</c>: the Lambda's cleaning on local files.
/// Prints the report as JSON. Exit codes: 0 ready, 3 file refused (report written), 2 usage error, 4 a file or
/// folder cannot be read or written. Every error is one line on stderr; nothing is touched before the arguments
/// are known to be safe (an input inside the output folder would be deleted by the clean-up of earlier outputs).
/// </summary>
internal static class LocalCommand
{
    public const int Ready = 0;
    public const int UsageError = 2;
    public const int FileRefused = 3;
    public const int IoError = 4;

    public const string Usage = "usage: bootstrap --input RAW.csv[.gz] --output-dir DIR [--max-rejected-share 0.2]";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (!TryParse(args, out var input, out var outputDir, out var options, out var problem))
        {
            await error.WriteLineAsync($"{problem} ({Usage})");
            return UsageError;
        }

        if (!File.Exists(input))
        {
            await error.WriteLineAsync($"The input file '{input}' does not exist.");
            return UsageError;
        }

        if (LocalPaths.IsInside(input, outputDir))
        {
            await error.WriteLineAsync($"The input file '{input}' is inside the output folder '{outputDir}', whose earlier outputs are removed first: choose another --output-dir.");
            return UsageError;
        }

        try
        {
            return await PrepareAsync(input, outputDir, options, output, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"Cannot read or write the files: {e.Message}");
            return IoError;
        }
    }

    private static async Task<int> PrepareAsync(string input, string outputDir, CleaningOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var store = new LocalDatasetStore(outputDir);
        store.Clear();
        var file = new FileInfo(input);
        var datasetId = DatasetIds.From(file.Name, $"{file.Length}-{file.LastWriteTimeUtc.Ticks}");
        var report = await new DatasetPreparer(options).PrepareAsync(
            _ => Task.FromResult<Stream>(new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16)),
            input, datasetId, store, cancellationToken, file.Length);
        await output.WriteLineAsync(JsonSerializer.Serialize(report, SongJsonContext.Default.CleaningReport));
        return report.IsReady ? Ready : FileRefused;
    }

    private static bool TryParse(
        IReadOnlyList<string> args, out string input, out string outputDir, out CleaningOptions options, out string problem)
    {
        input = outputDir = problem = "";
        options = new CleaningOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--input" when value is not null:
                    input = value;
                    break;
                case "--output-dir" when value is not null:
                    outputDir = value;
                    break;
                case "--max-rejected-share" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var share)
                                                 && share is >= 0 and <= 1:
                    options = options with { MaxRejectedShare = share };
                    break;
                default:
                    problem = $"Unexpected or incomplete argument '{args[i]}'.";
                    return false;
            }

            i++;
        }

        problem = input.Length == 0 ? "--input is required." : outputDir.Length == 0 ? "--output-dir is required." : "";
        return problem.Length == 0;
    }
}
