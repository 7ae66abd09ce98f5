using System.Diagnostics;
using System.Text.Json;

namespace ChartBuster.Preprocess.Tests;

/// <summary>
/// The Native AOT bootstrap, as published for provided.al2023, run as Lambda runs it: Runtime API over
/// HTTP, configuration from the environment, S3 through the emulator. Proves the AOT build works at run
/// time, not only that it compiles without warnings.
/// </summary>
public sealed class NativeBootstrapTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private static readonly Lazy<string> s_bootstrap = new(FindOrPublish);

    [Fact]
    public async Task The_native_bootstrap_prepares_the_dataset_of_an_s3_event_and_answers_the_runtime_api()
    {
        var raw = await emulator.CreateBucketAsync("raw");
        var ready = await emulator.CreateBucketAsync("ready");
        var path = RepositoryPaths.DecadeFiles()[2];
        var put = await emulator.S3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = raw, Key = "in box/dataset-of-80s.csv", FilePath = path });
        await using var api = new LoopbackRuntimeApi();
        api.Enqueue("req-native-1", S3Events.Uploaded((raw, "in box/dataset-of-80s.csv", put.ETag, new FileInfo(path).Length)));

        using var function = Start(api, new() { ["CHARTBUSTER_READY_BUCKET"] = ready, ["CHARTBUSTER_RAW_BUCKET"] = raw });
        Assert.True(api.Posts.TryTake(out var post, TimeSpan.FromSeconds(60)), "the function posted nothing");

        Assert.Equal("/2018-06-01/runtime/invocation/req-native-1/response", post.Path);
        var result = JsonDocument.Parse(post.Body).RootElement.GetProperty("results")[0];
        Assert.Equal(Outcomes.Prepared, result.GetProperty("outcome").GetString());
        var objects = await emulator.ListAsync(ready, $"datasets/{result.GetProperty("datasetId").GetString()}/");
        Assert.Equal(4, objects.Count);
    }

    [Fact]
    public async Task The_native_bootstrap_reports_missing_configuration_as_an_init_error()
    {
        await using var api = new LoopbackRuntimeApi();

        using var function = Start(api, []);
        Assert.True(api.Posts.TryTake(out var post, TimeSpan.FromSeconds(60)), "the function posted nothing");

        Assert.Equal("/2018-06-01/runtime/init/error", post.Path);
        Assert.Contains("CHARTBUSTER_READY_BUCKET", post.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_native_bootstrap_keeps_its_command_line_help_and_suggestions_after_trimming()
    {
        var help = await RunLocallyAsync("--help");
        var mistyped = await RunLocallyAsync("--input", "songs.csv", "--ouptut-dir", "out");
        var bare = await RunLocallyAsync();

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--max-rejected-share <SHARE>", help.Output, StringComparison.Ordinal);
        Assert.Contains("Exit codes", help.Output, StringComparison.Ordinal);
        Assert.Equal((2, "Unknown option '--ouptut-dir'. Did you mean --output-dir? See '--help'."), (mistyped.ExitCode, mistyped.Error.Trim()));
        Assert.Equal(2, bare.ExitCode);
        Assert.Contains("Option '--input' is required.", bare.Error, StringComparison.Ordinal);
    }

    /// <summary>The bootstrap as a user runs it on a workstation: arguments, no Lambda Runtime API.</summary>
    private static Task<CompletedProcess> RunLocallyAsync(params string[] args)
    {
        var start = new ProcessStartInfo(s_bootstrap.Value, args);
        start.Environment.Remove("AWS_LAMBDA_RUNTIME_API");
        return CompletedProcess.RunAsync(start, TimeSpan.FromSeconds(30));
    }

    /// <summary>provided.al2023 is Amazon Linux 2023, whose glibc is 2.34: a binary asking for a newer symbol does not start there.</summary>
    private static readonly Version s_runtimeGlibc = new(2, 34);

    [Fact]
    public void The_bootstraps_need_no_glibc_symbol_newer_than_provided_al2023s_2_34()
    {
        // The one the tests run, and the one the CDK app bundled into the function asset when ./test.sh synthesized it.
        var assets = Path.Combine(RepositoryPaths.Root, ".build", "cdk.out");
        var bootstraps = Directory.Exists(assets) ? Directory.GetFiles(assets, "bootstrap", SearchOption.AllDirectories) : [];

        foreach (var bootstrap in bootstraps.Prepend(s_bootstrap.Value))
        {
            var versions = GlibcVersionsNeeded(bootstrap);

            Assert.Contains(new Version(2, 2, 5), versions);
            Assert.True(versions.Max() <= s_runtimeGlibc, $"{bootstrap} needs GLIBC_{versions.Max()}, newer than provided.al2023's {s_runtimeGlibc}");
        }
    }

    /// <summary>The GLIBC_x.y versions in the binary's version-needs section (readelf, from binutils, which AOT linking needs anyway).</summary>
    private static List<Version> GlibcVersionsNeeded(string binary)
    {
        using var readelf = Process.Start(new ProcessStartInfo("readelf", ["--version-info", "--wide", binary]) { RedirectStandardOutput = true })!;
        var output = readelf.StandardOutput.ReadToEnd();
        readelf.WaitForExit();
        Assert.Equal(0, readelf.ExitCode);
        var needs = output[output.IndexOf("Version needs section", StringComparison.Ordinal)..];
        return [.. System.Text.RegularExpressions.Regex.Matches(needs, @"Name: GLIBC_(\d+(?:\.\d+){1,2})").Select(m => Version.Parse(m.Groups[1].Value)).Distinct()];
    }

    private RunningProcess Start(LoopbackRuntimeApi api, Dictionary<string, string> settings)
    {
        var start = new ProcessStartInfo(s_bootstrap.Value) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = api.Address;
        start.Environment["AWS_ENDPOINT_URL"] = emulator.Endpoint.ToString();
        start.Environment["AWS_REGION"] = "us-east-1";
        start.Environment["AWS_ACCESS_KEY_ID"] = "test";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "test";
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        return new RunningProcess(Process.Start(start)!);
    }

    /// <summary>./test.sh publishes the bootstrap before the tests; a bare `dotnet test` (or a stale binary) publishes it here.</summary>
    private static string FindOrPublish()
    {
        var bootstrap = Path.Combine(RepositoryPaths.Root, ".build", "preprocess", "bootstrap");
        var newestSource = new[] { "core", "functions" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, d), "*.cs*", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Max(File.GetLastWriteTimeUtc);
        if (File.Exists(bootstrap) && File.GetLastWriteTimeUtc(bootstrap) > newestSource)
        {
            return bootstrap;
        }

        using var publish = Process.Start(new ProcessStartInfo("dotnet",
            ["publish", Path.Combine(RepositoryPaths.Root, "functions", "ChartBuster.Preprocess"), "-r", "linux-x64",
             "-p:PublishAot=true", "-c", "Release", "-o", Path.GetDirectoryName(bootstrap)!, "-nologo"])
        { RedirectStandardOutput = true })!;
        var output = publish.StandardOutput.ReadToEnd();
        publish.WaitForExit();
        return publish.ExitCode == 0 && File.Exists(bootstrap)
            ? bootstrap
            : throw new InvalidOperationException($"Publishing the native bootstrap failed:\n{output}");
    }

    private sealed class RunningProcess(Process process) : IDisposable
    {
        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
        }
    }
}
