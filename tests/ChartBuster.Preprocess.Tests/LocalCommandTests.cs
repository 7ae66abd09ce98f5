using System.Text.Json;
using ChartBuster.Cli;
using ChartBuster.Songs;

namespace ChartBuster.Preprocess.Tests;

public sealed class LocalCommandTests : IDisposable
{
    private readonly DirectoryInfo _output = Directory.CreateTempSubdirectory("chartbuster-cli-");
    private readonly DirectoryInfo _inputs = Directory.CreateTempSubdirectory("chartbuster-cli-inputs-");
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

        Assert.Equal(ExitCodes.Ok, exit);
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
        var bad = Path.Combine(_inputs.FullName, "bad.csv");
        File.WriteAllText(bad, File.ReadAllText(good).Replace("energy", "power", StringComparison.Ordinal));
        await Run("--input", good, "--output-dir", _output.FullName);

        var exit = await Run("--input", bad, "--output-dir", _output.FullName);

        Assert.Equal(ExitCodes.Refused, exit);
        Assert.False(File.Exists(Output("ready.csv")));
        Assert.Contains("energy", File.ReadAllText(Output("report.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Honours_the_rejected_share_option()
    {
        var input = Path.Combine(_inputs.FullName, "half-bad.csv");
        var lines = File.ReadAllLines(RepositoryPaths.DecadeFiles()[0]).Take(101).ToArray();
        for (var i = 1; i <= 30; i++)
        {
            lines[i] = lines[i].Replace(",spotify:", ",,spotify:", StringComparison.Ordinal); // one field too many
        }

        File.WriteAllLines(input, lines);

        Assert.Equal(ExitCodes.Refused, await Run("--input", input, "--output-dir", _output.FullName));
        Assert.Equal(ExitCodes.Ok, await Run("--input", input, "--output-dir", _output.FullName, "--max-rejected-share", "0.5"));
    }

    [Theory]
    [InlineData("ready.csv", ".")]
    [InlineData("cleaned.csv", "./sub/..")]
    [InlineData("raw/songs.csv", ".")]
    public async Task Refuses_an_input_inside_the_output_directory_before_touching_anything(string input, string outputDir)
    {
        var inputPath = Output(input);
        Directory.CreateDirectory(Path.GetDirectoryName(inputPath)!);
        File.Copy(RepositoryPaths.DecadeFiles()[0], inputPath);
        var before = File.ReadAllBytes(inputPath);

        var exit = await Run("--input", inputPath, "--output-dir", Path.Combine(_output.FullName, outputDir));

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal(before, File.ReadAllBytes(inputPath));
        Assert.Single(_stderr.ToString().TrimEnd().Split('\n'));
        Assert.Contains("inside", _stderr.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Output("report.json")));
    }

    [Fact]
    public async Task An_output_directory_that_cannot_be_created_gives_one_line_and_exit_code_4()
    {
        var blocker = Output("a-file");
        File.WriteAllText(blocker, "not a directory");

        var exit = await Run("--input", RepositoryPaths.DecadeFiles()[0], "--output-dir", Path.Combine(blocker, "out"));

        Assert.Equal(ExitCodes.IoError, exit);
        var message = _stderr.ToString().TrimEnd();
        Assert.Single(message.Split('\n'));
        Assert.DoesNotContain(" at ", message, StringComparison.Ordinal);
        Assert.Contains("a-file", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--input")]
    [InlineData("--output-dir", "x")]
    [InlineData("--input", "a.csv", "--output-dir", "x", "--max-rejected-share", "2")]
    [InlineData("--input", "a.csv", "--output-dir", "x", "--max-rejected-share", "lots")]
    [InlineData("--input", "a.csv", "--output-dir", "x", "--max-rejected-share", "NaN")]
    [InlineData("--input", "a.csv", "--output-dir", "x", "--verbose")]
    [InlineData("--input", "/no/such/file.csv", "--output-dir", "x")]
    public async Task Explains_a_usage_error_and_exits_2(params string[] args)
    {
        Assert.Equal(ExitCodes.Usage, await Run(args));
        Assert.Single(_stderr.ToString().TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Help_lists_the_options_and_the_exit_codes()
    {
        Assert.Equal(ExitCodes.Ok, await Run("--help"));

        foreach (var text in (string[])["--input <FILE> (REQUIRED)", "--output-dir <DIR> (REQUIRED)", "--max-rejected-share <SHARE>", "[default: 0.2]", "Exit codes", "3  preprocess refused the file"])
        {
            Assert.Contains(text, _stdout.ToString(), StringComparison.Ordinal);
        }

        Assert.Empty(_stderr.ToString());
    }

    [Theory]
    [InlineData("--output-dri", "--output-dir")]
    [InlineData("--inptu", "--input")]
    [InlineData("--max-rejected", "--max-rejected-share")]
    public async Task Refuses_a_mistyped_option_and_suggests_the_right_one(string typed, string meant)
    {
        var args = new List<string> { "--input", RepositoryPaths.DecadeFiles()[0], "--output-dir", _output.FullName, "--max-rejected-share", "0.5" };
        args[args.IndexOf(meant)] = typed;

        Assert.Equal(ExitCodes.Usage, await Run([.. args]));

        Assert.Contains($"Unknown option '{typed}'. Did you mean {meant}?", _stderr.ToString(), StringComparison.Ordinal);
        Assert.Single(_stderr.ToString().TrimEnd().Split('\n'));
        Assert.Empty(Directory.GetFileSystemEntries(_output.FullName));
    }

    [Theory]
    [InlineData("--output-dir", "--input", "a.csv")]
    [InlineData("--input", "--output-dir", "x")]
    public async Task Names_a_missing_required_option(string missing, params string[] args)
    {
        Assert.Equal(ExitCodes.Usage, await Run(args));

        Assert.Contains($"Option '{missing}' is required.", _stderr.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _stdout.Dispose();
        _stderr.Dispose();
        _output.Delete(recursive: true);
        _inputs.Delete(recursive: true);
    }
}
