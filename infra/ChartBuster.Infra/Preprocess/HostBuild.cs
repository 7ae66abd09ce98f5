using System.Diagnostics;
using System.Runtime.InteropServices;
using Amazon.CDK;
using Amazon.JSII.Runtime.Deputy;

namespace ChartBuster.Infra.Preprocess;

/// <summary>
/// Builds the function's <c>bootstrap</c> on this machine (`dotnet publish` as Native AOT, the same command ./test.sh
/// runs), so that synth, diff and deploy of the function need no Docker. The binary links against glibc symbols no newer
/// than GLIBC_2.34 when built on Debian 12 (glibc 2.36), which provided.al2023 (glibc 2.34) has; a test checks the
/// symbol versions of the built binary. `-c preprocessBuild=docker` builds on Amazon Linux 2023 in Docker instead.
/// </summary>
public sealed class HostBuild(string repositoryRoot) : DeputyBase, ILocalBundling
{
    public static readonly string[] PublishArguments = ["publish", "functions/ChartBuster.Preprocess", "-r", "linux-x64", "-p:PublishAot=true", "-c", "Release", "-nologo"];

    /// <summary>What is missing on this machine for the host build, as one sentence saying what to install; null when nothing is.</summary>
    public static string? MissingPrerequisite(string? path)
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            return $"The preprocess function is built on the host only on Linux x64 (this is {RuntimeInformation.OSDescription.Trim()} {RuntimeInformation.OSArchitecture}): deploy with -c preprocessBuild=docker to build it in Docker instead.";
        }

        var directories = (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        bool OnPath(string tool) => directories.Any(d => File.Exists(Path.Combine(d, tool)));
        return OnPath("clang") || OnPath("gcc")
            ? null
            : "The preprocess function is compiled to native code on this machine, which needs a C toolchain: install clang and zlib (Debian/Ubuntu: sudo apt-get install clang zlib1g-dev; Amazon Linux/Fedora: sudo dnf install clang zlib-devel), or deploy with -c preprocessBuild=docker.";
    }

    public bool TryBundle(string outputDir, IBundlingOptions options)
    {
        var publishDir = Directory.CreateTempSubdirectory("chartbuster-bootstrap-").FullName;
        try
        {
            var start = new ProcessStartInfo("dotnet", [.. PublishArguments, "-o", publishDir])
            {
                WorkingDirectory = repositoryRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            Console.Error.WriteLine("Building the preprocess function (Native AOT) on this machine…");
            using var publish = Process.Start(start)!;
            var output = publish.StandardOutput.ReadToEndAsync();
            var errors = publish.StandardError.ReadToEndAsync();
            publish.WaitForExit();
            if (publish.ExitCode != 0)
            {
                var lines = (output.Result + errors.Result).Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Distinct().Take(10);
                throw new PrerequisiteMissingException($"The Native AOT build of the preprocess function failed (dotnet {string.Join(' ', PublishArguments)}):{System.Environment.NewLine}{string.Join(System.Environment.NewLine, lines)}");
            }

            File.Copy(Path.Combine(publishDir, "bootstrap"), Path.Combine(outputDir, "bootstrap"), overwrite: true);
            return true;
        }
        finally
        {
            Directory.Delete(publishDir, recursive: true);
        }
    }
}
