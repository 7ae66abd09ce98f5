using ChartBuster.Aws;
using ChartBuster.Cli;
using System.CommandLine;
using System.Globalization;
using Amazon.S3;
using Amazon.S3.Transfer;
using Amazon.SQS;
using ChartBuster.Preprocess;
using ChartBuster.Songs.Pipeline;

namespace ChartBuster.LocalWiring;

/// <summary>
/// setup | watch | sample | upload: the local stack's own commands (local.sh runs them; <c>--help</c> on each says how).
/// Exits with <see cref="ExitCodes"/>: a mistyped option or command, or an upload of a file that does not exist, is 2.
/// </summary>
public static class LocalCommands
{
    public static Task<int> RunAsync(string[] args, Func<string, string?> variable, TextWriter output, TextWriter error) =>
        CommandLineRunner.InvokeAsync(Root(variable), args, output, error, CancellationToken.None);

    private static RootCommand Root(Func<string, string?> variable) =>
        new("ChartBuster local wiring: the local stack's buckets and queues, S3's notifications (the emulator has none) and the demo dataset. ./local.sh runs these.")
        {
            Setup(variable), Watch(variable), Sample(), Upload(variable),
        };

    private static Command Setup(Func<string, string?> variable)
    {
        var command = new Command("setup", $"Create the buckets and queues if missing; print {PipelineVariables.TrainingQueueUrl}=URL.");
        command.SetAction(parsed => SetupAsync(variable, parsed.InvocationConfiguration.Output));
        return command;
    }

    private static Command Watch(Func<string, string?> variable)
    {
        var state = new Option<string>("--state") { Description = "Where what was already announced is kept, so a restart resumes.", Required = true, HelpName = "FILE" };
        var log = new Option<string>("--log") { Description = "Where the preprocess function's JSON log lines go (default: nowhere).", HelpName = "FILE" };
        var site = new Option<string>("--site") { Description = "The web app's address, for the links in the journey lines.", DefaultValueFactory = _ => "http://127.0.0.1:8080", HelpName = "URL" };
        var interval = Positive(new Option<int>("--interval-ms") { Description = "How often the buckets and journeys are looked at.", DefaultValueFactory = _ => 1000, HelpName = "MS" });
        var command = new Command("watch", "Play S3's notifications (raw upload -> preprocess in-process -> ready -> training queue) and tell each upload's journey, until stopped.")
        {
            state, log, site, interval,
        };
        command.SetAction(parsed => WatchAsync(
            variable, parsed.GetRequiredValue(state), parsed.GetValue(log), parsed.GetRequiredValue(site), TimeSpan.FromMilliseconds(parsed.GetValue(interval)), parsed.InvocationConfiguration.Output));
        return command;
    }

    private static Command Sample()
    {
        var output = CommonOptions.Output("The CSV to write.");
        var rows = Positive(new Option<int>("--rows") { Description = "How many songs.", DefaultValueFactory = _ => 6000, HelpName = "N" });
        var seed = new Option<int>("--seed") { Description = "The same seed writes the same songs.", DefaultValueFactory = _ => 1958, HelpName = "N" };
        var command = new Command("sample", "Write the demo dataset: GENERATED songs, not real ones, in the Hit Predictor schema.") { output, rows, seed };
        command.SetAction(parsed => WriteSample(parsed.GetRequiredValue(output), parsed.GetValue(rows), parsed.GetValue(seed), parsed.InvocationConfiguration.Output));
        return command;
    }

    private static Command Upload(Func<string, string?> variable)
    {
        var file = new Argument<string>("FILE") { Description = "The song CSV to put into the raw bucket (it is cleaned, trained on, served)." };
        var command = new Command("upload", "Put a file into the local raw bucket, as a user's upload would.") { file };
        command.SetAction(parsed => UploadAsync(parsed.GetRequiredValue(file), variable, parsed.InvocationConfiguration));
        return command;
    }

    private static Option<int> Positive(Option<int> option) =>
        option.Accepting((string text, out int value) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value), value => value > 0, "a positive whole number");

    private static async Task<int> SetupAsync(Func<string, string?> variable, TextWriter output)
    {
        using var s3 = AwsClients.S3(variable, AwsCallPolicy.Tools());
        using var sqs = AwsClients.Sqs(variable, AwsCallPolicy.Tools());
        var queueUrl = await LocalResources.FromEnvironment(variable).EnsureAsync(s3, sqs, CancellationToken.None);
        output.WriteLine($"{PipelineVariables.TrainingQueueUrl}={queueUrl}");
        return ExitCodes.Ok;
    }

    private static async Task<int> WatchAsync(Func<string, string?> variable, string statePath, string? logPath, string site, TimeSpan interval, TextWriter output)
    {
        var resources = LocalResources.FromEnvironment(variable);
        using var s3 = AwsClients.S3(variable, AwsCallPolicy.Tools());
        using var sqs = AwsClients.Sqs(variable, AwsCallPolicy.Tools());
        var queueUrl = await resources.EnsureAsync(s3, sqs, CancellationToken.None);
        await using var functionLog = logPath is null ? TextWriter.Null : new StreamWriter(logPath, append: true) { AutoFlush = true };
        // The function's own configuration parsing, so CHARTBUSTER_MAX_REJECTED_SHARE means locally what it means in AWS.
        var options = PreprocessOptions.FromEnvironment(name => variable(name) ?? name switch
        {
            PipelineVariables.ReadyBucket => resources.ReadyBucket,
            PipelineVariables.RawBucket => resources.RawBucket,
            _ => null,
        });
        var handler = new PreprocessHandler(new RawSongFileProcessor(s3, options, new JsonLog(functionLog, TimeProvider.System), TimeProvider.System));
        var state = WiringState.Load(statePath);
        var player = new NotificationPlayer(s3, sqs, handler, resources, queueUrl, state, output, TimeProvider.System, site);
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
        await player.ForgetUntrainedAsync(CancellationToken.None);
        output.WriteLine($"wiring      raw s3://{resources.RawBucket} → preprocess → s3://{resources.ReadyBucket} → queue {resources.QueueName}");
        while (!stop.IsCancellationRequested)
        {
            await player.PlayOnceAsync(stop.Token);
            state.Save(statePath);
            try
            {
                await Task.Delay(interval, stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        state.Save(statePath);
        return ExitCodes.Ok;
    }

    private static int WriteSample(string path, int rows, int seed, TextWriter output)
    {
        using (var writer = new StreamWriter(path))
        {
            SampleSongs.Write(writer, rows, seed);
        }

        output.WriteLine(SampleSongs.Describe(rows, seed) + $" → {path}");
        return ExitCodes.Ok;
    }

    private static async Task<int> UploadAsync(string path, Func<string, string?> variable, InvocationConfiguration console)
    {
        var output = console.Output;
        if (!File.Exists(path))
        {
            await console.Error.WriteLineAsync($"{path}: no such file.");
            return ExitCodes.Usage;
        }

        var resources = LocalResources.FromEnvironment(variable);
        using var s3 = AwsClients.S3(variable, AwsCallPolicy.Tools());
        using var transfer = new TransferUtility(s3, new TransferUtilityConfig { MinSizeBeforePartUpload = 8 * 1024 * 1024 });

        // Multipart above 8 MiB: the emulator refuses single PUTs over 11 MiB, and AWS wants multipart for large files anyway.
        await transfer.UploadAsync(new TransferUtilityUploadRequest
        {
            BucketName = resources.RawBucket,
            Key = Path.GetFileName(path),
            FilePath = path,
            PartSize = 8 * 1024 * 1024,
        });
        output.WriteLine($"uploaded {path} → s3://{resources.RawBucket}/{Path.GetFileName(path)}");
        return ExitCodes.Ok;
    }
}
