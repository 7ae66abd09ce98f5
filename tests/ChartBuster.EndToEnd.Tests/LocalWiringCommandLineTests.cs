using System.Diagnostics;
using ChartBuster.Cli;
using ChartBuster.LocalWiring;

namespace ChartBuster.EndToEnd.Tests;

/// <summary>The local wiring's command line and local.sh's own, without the emulator: parsing, help and refusals.</summary>
public sealed class LocalWiringCommandLineTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("chartbuster-wiring-cli-");
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    private Task<int> Run(params string[] args) => LocalCommands.RunAsync(args, _ => null, _out, _err);

    private string Path(string name) => System.IO.Path.Combine(_work.FullName, name);

    [Fact]
    public async Task Help_lists_the_commands_and_the_exit_codes()
    {
        Assert.Equal(ExitCodes.Ok, await Run("--help"));

        foreach (var command in (string[])["setup", "watch", "sample", "upload <FILE>"])
        {
            Assert.Matches($"\\n  {command} +[A-Z]", _out.ToString());
        }

        Assert.Contains("Exit codes", _out.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("watch", "--state <FILE> (REQUIRED)", "--log <FILE>", "--site <URL>", "--interval-ms <MS>")]
    [InlineData("sample", "--output <FILE> (REQUIRED)", "--rows <N>", "--seed <N>")]
    [InlineData("upload", "<FILE>")]
    [InlineData("setup", "CHARTBUSTER_TRAINING_QUEUE_URL=URL")]
    public async Task Every_command_has_help_listing_its_options(string command, params string[] expected)
    {
        Assert.Equal(ExitCodes.Ok, await Run(command, "--help"));

        foreach (var text in expected)
        {
            Assert.Contains(text, _out.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Sample_writes_the_generated_dataset_of_its_seed()
    {
        Assert.Equal(ExitCodes.Ok, await Run("sample", "--output", Path("sample.csv"), "--rows", "50", "--seed", "7"));

        using var expected = new StringWriter();
        SampleSongs.Write(expected, 50, 7);
        Assert.Equal(expected.ToString(), File.ReadAllText(Path("sample.csv")));
    }

    [Fact]
    public async Task A_mistyped_option_is_refused_with_a_suggestion_and_nothing_is_written()
    {
        Assert.Equal(ExitCodes.Usage, await Run("sample", "--ouput", Path("sample.csv")));

        Assert.Equal("Unknown option '--ouput'. Did you mean --output? See 'sample --help'.", _err.ToString().Trim());
        Assert.False(File.Exists(Path("sample.csv")));
    }

    [Fact]
    public async Task A_mistyped_command_is_refused_with_a_suggestion()
    {
        Assert.Equal(ExitCodes.Usage, await Run("wacth", "--state", Path("state.json")));

        Assert.Contains("Unknown command 'wacth'. Did you mean watch?", _err.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("many")]
    public async Task Sample_refuses_a_row_count_that_is_not_a_positive_number(string rows)
    {
        Assert.Equal(ExitCodes.Usage, await Run("sample", "--output", Path("sample.csv"), "--rows", rows));

        Assert.Contains("--rows", _err.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path("sample.csv")));
    }

    [Fact]
    public async Task Watch_names_its_missing_state_option()
    {
        Assert.Equal(ExitCodes.Usage, await Run("watch", "--log", Path("preprocess.log")));

        Assert.Contains("Option '--state' is required.", _err.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_of_a_file_that_does_not_exist_exits_2_naming_it()
    {
        Assert.Equal(ExitCodes.Usage, await Run("upload", Path("missing.csv")));

        Assert.Equal($"{Path("missing.csv")}: no such file.", _err.ToString().Trim());
    }

    [Fact]
    public async Task Local_sh_help_lists_its_commands_and_exit_codes()
    {
        var (exit, output, _) = await LocalSh("--help");

        Assert.Equal(0, exit);
        foreach (var text in (string[])["./local.sh up [--detach] [--containers]", "./local.sh upload FILE.csv", "./local.sh status", "./local.sh down", "./local.sh images", "Exit codes: 0 done"])
        {
            Assert.Contains(text, output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("uplod", "upload")]
    [InlineData("stauts", "status")]
    [InlineData("dwon", "down")]
    public async Task Local_sh_refuses_a_mistyped_command_with_a_suggestion(string typed, string meant)
    {
        var (exit, _, error) = await LocalSh(typed, "songs.csv");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains($"Unknown command '{typed}'. Did you mean {meant}?", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_sh_up_refuses_a_mistyped_option_before_starting_anything()
    {
        var (exit, _, error) = await LocalSh("up", "--detahc");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("Unknown option '--detahc' of up. Did you mean --detach?", error, StringComparison.Ordinal);
        Assert.Empty(_work.GetFileSystemInfos());
    }

    /// <summary>local.sh with its state in this test's folder (nothing it refuses may create anything there).</summary>
    private async Task<CompletedProcess> LocalSh(params string[] args)
    {
        var start = new ProcessStartInfo("bash", [System.IO.Path.Combine(RepositoryPaths.Root, "local.sh"), .. args]);
        start.Environment["CHARTBUSTER_LOCAL_DIR"] = _work.FullName;
        return await CompletedProcess.RunAsync(start, TimeSpan.FromSeconds(30));
    }

    public void Dispose()
    {
        _out.Dispose();
        _err.Dispose();
        _work.Delete(recursive: true);
    }
}
