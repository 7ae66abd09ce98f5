using System.Globalization;
using System.Text.Json;
using ChartBuster.Preprocess.Storage;
using ChartBuster.Songs;

namespace ChartBuster.Preprocess;

/// <summary>
/// <c>--input RAW.csv --output-dir DIR [--max-rejected-share 0.2]</c>: the Lambda's cleaning on local files.
/// Prints the report as JSON. Exit codes: 0 ready, 3 file refused (report written), 2 usage error.
/// </summary>
internal static class LocalCommand
{
    public const int Ready = 0;
    public const int UsageError = 2;
    public const int FileRefused = 3;

    private const string Usage =
        "usage: bootstrap --input RAW.csv[.gz] --output-dir DIR [--max-rejected-share 0.2]\n" +
        "       (without arguments, inside AWS Lambda: the preprocess function)";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!TryParse(args, out var input, out var outputDir, out var options, out var problem))
        {
            await error.WriteLineAsync($"{problem}\n{Usage}");
            return UsageError;
        }

        if (!File.Exists(input))
        {
            await error.WriteLineAsync($"The input file '{input}' does not exist.");
            return UsageError;
        }

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
