using ChartBuster.Aws;
using System.Globalization;
using Amazon.S3;
using Amazon.S3.Transfer;
using Amazon.SQS;
using ChartBuster.Preprocess;
using ChartBuster.Songs.Pipeline;

namespace ChartBuster.LocalWiring;

public static class LocalCommands
{
    private const string Usage = """
        usage: setup                                  create the buckets and queues; print the queue URL
               watch --state FILE [--log FILE] [--site URL]   play S3 notifications and journey events until stopped
               sample --output FILE [--rows N] [--seed N]   write the generated demo dataset
               upload FILE                            put FILE into the raw bucket
        """;

    public static async Task<int> RunAsync(string[] args, Func<string, string?> variable, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            return args.FirstOrDefault() switch
            {
                "setup" => await SetupAsync(variable, output),
                "watch" => await WatchAsync(args, variable, output),
                "sample" => Sample(args, output),
                "upload" when args.Length == 2 => await UploadAsync(args[1], variable, output),
                _ => Fail(error, Usage),
            };
        }
        catch (ArgumentException e)
        {
            return Fail(error, e.Message);
        }
    }

    private static async Task<int> SetupAsync(Func<string, string?> variable, TextWriter output)
    {
        using var s3 = AwsClients.S3(variable, AwsCallPolicy.Tools());
        using var sqs = AwsClients.Sqs(variable, AwsCallPolicy.Tools());
        var queueUrl = await LocalResources.FromEnvironment(variable).EnsureAsync(s3, sqs, CancellationToken.None);
        output.WriteLine($"{PipelineVariables.TrainingQueueUrl}={queueUrl}");
        return 0;
    }

    private static async Task<int> WatchAsync(string[] args, Func<string, string?> variable, TextWriter output)
    {
        var statePath = Option(args, "--state") ?? throw new ArgumentException("watch needs --state FILE");
        var logPath = Option(args, "--log");
        var interval = TimeSpan.FromMilliseconds(double.Parse(Option(args, "--interval-ms") ?? "1000", CultureInfo.InvariantCulture));
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
        var site = Option(args, "--site") ?? "http://127.0.0.1:8080";
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
        return 0;
    }

    private static int Sample(string[] args, TextWriter output)
    {
        var path = Option(args, "--output") ?? throw new ArgumentException("sample needs --output FILE");
        var rows = int.Parse(Option(args, "--rows") ?? "6000", CultureInfo.InvariantCulture);
        var seed = int.Parse(Option(args, "--seed") ?? "1958", CultureInfo.InvariantCulture);
        using (var writer = new StreamWriter(path))
        {
            SampleSongs.Write(writer, rows, seed);
        }

        output.WriteLine(SampleSongs.Describe(rows, seed) + $" → {path}");
        return 0;
    }

    private static async Task<int> UploadAsync(string path, Func<string, string?> variable, TextWriter output)
    {
        if (!File.Exists(path))
        {
            throw new ArgumentException($"{path}: no such file");
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
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine(message);
        return 2;
    }
}
