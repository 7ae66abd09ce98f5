using System.Text.Json;
using Amazon.CDK;
using Amazon.CDK.Assertions;

namespace ChartBuster.Infra.Tests;

/// <summary>
/// What changes the function's asset fingerprint, on a small repository of its own: a new fingerprint means a Docker
/// build and a code update at the next deploy, so only the function's own sources may cause one.
/// </summary>
[Collection(SharedTemplates.Name)]
public sealed class AssetFingerprintTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("chartbuster-repo-").FullName;

    public AssetFingerprintTests()
    {
        foreach (var file in new[]
        {
            "global.json", "Directory.Build.props", "Directory.Packages.props", ".editorconfig", "README.md", "local.sh",
            "core/ChartBuster.Songs/SongFeatures.cs", "core/ChartBuster.Aws/AwsClients.cs", "core/ChartBuster.Cli/CommandLineRunner.cs", "core/ChartBuster.Model/SongModelInput.cs",
            "functions/ChartBuster.Preprocess/Program.cs", "infra/ChartBuster.Infra/Program.cs",
            "training/ChartBuster.Training/Dockerfile", "webapp/ChartBuster.Web/Dockerfile",
        })
        {
            Write(file, "original");
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("README.md", false)]
    [InlineData("local.sh", false)]
    [InlineData("core/ChartBuster.Model/SongModelInput.cs", false)]
    [InlineData("infra/ChartBuster.Infra/Program.cs", false)]
    [InlineData("core/ChartBuster.Songs/SongFeatures.cs", true)]
    [InlineData("core/ChartBuster.Aws/AwsClients.cs", true)]
    [InlineData("core/ChartBuster.Cli/CommandLineRunner.cs", true)]
    [InlineData("functions/ChartBuster.Preprocess/Program.cs", true)]
    [InlineData("Directory.Packages.props", true)]
    public void Only_the_function_song_library_aws_client_and_command_line_sources_change_the_function_asset(string edited, bool changes)
    {
        var before = FunctionAssetKey();

        Write(edited, "edited");

        Assert.Equal(changes, FunctionAssetKey() != before);
    }

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private string FunctionAssetKey()
    {
        var app = new App(new AppProps { Context = new Dictionary<string, object> { ["aws:cdk:bundling-stacks"] = Array.Empty<string>() } });
        var stack = new ChartBusterPipeline(app, "ChartBuster", new StackSettings { RepositoryRoot = _root });
        var functions = Template.FromStack(stack).FindResources("AWS::Lambda::Function");
        var json = JsonSerializer.Serialize(functions);
        var key = JsonDocument.Parse(json).RootElement.EnumerateObject()
            .Select(f => f.Value.GetProperty("Properties"))
            .Single(p => p.GetProperty("Handler").GetString() == "bootstrap")
            .GetProperty("Code").GetProperty("S3Key").GetString();
        return key!;
    }
}
