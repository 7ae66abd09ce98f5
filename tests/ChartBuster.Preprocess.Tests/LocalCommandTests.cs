using System.Text.Json;
using ChartBuster.Songs;

namespace ChartBuster.Preprocess.Tests;

public sealed class LocalCommandTests : IDisposable
{
    private readonly DirectoryInfo _output = Directory.CreateTempSubdirectory("chartbuster-cli-");
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    private Task<int> Run(params string[] args) => LocalCommand.RunAsync(args, _stdout, _stderr, CancellationToken.None);

    private string Output(string name) => Path.Combine(_output.FullName, name);

    private static int Lines(string path) => File.ReadAllText(path).Count(c => c == '\n');

    [Fact]
    public async Task Turns_the_real_2010s_file_into_four_outputs_whose_counts_add_up()
    {
        var input = RepositoryPaths.DecadeFiles().Single(f => f.EndsWith("dataset-of-10s.csv", StringComparison.Ordinal));

        var exit = await Run("--input", input, "--output-dir", _output.FullName);

        Assert.Equal(LocalCommand.Ready, exit);
        var report = JsonSerializer.Deserialize(_stdout.ToString(), SongJsonContext.Default.CleaningReport)!;
        Assert.True(report.AddsUp);
        Assert.Equal(5083, report.RowsRead);
        Assert.Equal(report.RowsKept + 1, Lines(Output("ready.csv")));
        Assert.Equal(report.RowsKept + 1, Lines(Output("cleaned.csv")));
        Assert.Equal(report.RowsRead - report.RowsKept + 1, Lines(Output("rejects.csv")));
        Assert.Equal(_stdout.ToString().Trim(), File.ReadAllText(Output("report.json")).Trim());
        Assert.Empty(Directory.GetFiles(_output.FullName, "*.partial"));
    }

    [Fact]
    public async Task A_refused_file_exits_3_and_leaves_no_ready_csv_even_from_an_earlier_run()
    {
        var good = RepositoryPaths.DecadeFiles()[0];
        var bad = Path.Combine(_output.FullName, "bad.csv");
        File.WriteAllText(bad, File.ReadAllText(good).Replace("energy", "power", StringComparison.Ordinal));
        await Run("--input", good, "--output-dir", _output.FullName);

        var exit = await Run("--input", bad, "--output-dir", _output.FullName);

        Assert.Equal(LocalCommand.FileRefused, exit);
        Assert.False(File.Exists(Output("ready.csv")));
        Assert.Contains("energy", File.ReadAllText(Output("report.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Honours_the_rejected_share_option()
    {
        var input = Path.Combine(_output.FullName, "half-bad.csv");
        var lines = File.ReadAllLines(RepositoryPaths.DecadeFiles()[0]).Take(101).ToArray();
        for (var i = 1; i <= 30; i++)
        {
            lines[i] = lines[i].Replace(",spotify:", ",,spotify:", StringComparison.Ordinal); // one field too many
        }

        File.WriteAllLines(input, lines);

        Assert.Equal(LocalCommand.FileRefused, await Run("--input", input, "--output-dir", _output.FullName));
        Assert.Equal(LocalCommand.Ready, await Run("--input", input, "--output-dir", _output.FullName, "--max-rejected-share", "0.5"));
    }

    [Theory]
    [InlineData("--input")]
    [InlineData("--output-dir", "x")]
    [InlineData("--input", "a.csv", "--output-dir", "x", "--max-rejected-share", "2")]
    [InlineData("--input", "a.csv", "--output-dir", "x", "--verbose")]
    [InlineData("--input", "/no/such/file.csv", "--output-dir", "x")]
    public async Task Explains_a_usage_error_and_exits_2(params string[] args)
    {
        Assert.Equal(LocalCommand.UsageError, await Run(args));
        Assert.NotEmpty(_stderr.ToString());
    }

    public void Dispose()
    {
        _stdout.Dispose();
        _stderr.Dispose();
        _output.Delete(recursive: true);
    }
}
