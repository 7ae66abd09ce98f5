using ChartBuster.Cli;

namespace ChartBuster.Training.Tests;

public sealed class CommandLineTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("chartbuster-train-");
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    private string Path(string name) => System.IO.Path.Combine(_work.FullName, name);

    private Task<int> Run(params string[] args) => TrainingCommandLine.RunAsync(args, _out, _err, _ => null);

    [Fact]
    public async Task Train_writes_the_three_files_and_score_adds_probabilities_and_reasons()
    {
        File.WriteAllBytes(Path("ready.csv"), RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[5]));
        var raw = File.ReadAllLines(RepositoryPaths.DecadeFiles()[4]).Take(50).ToList();
        raw[3] = raw[3].Replace(",spotify:", ",,spotify:", StringComparison.Ordinal);
        File.WriteAllLines(Path("raw.csv"), raw);

        var trained = await Run("train", "--input", Path("ready.csv"), "--output-dir", Path("model"), "--profile", "quick");
        var scored = await Run("score", "--model", Path("model/model.zip"), "--input", Path("raw.csv"), "--output", Path("scored.csv"));

        Assert.Equal((ExitCodes.Ok, ExitCodes.Ok), (trained, scored));
        Assert.Equal(["metrics.json", "model-card.json", "model.zip"], Directory.GetFiles(Path("model")).Select(System.IO.Path.GetFileName).Order());
        var lines = File.ReadAllLines(Path("scored.csv"));
        Assert.EndsWith(",hit_probability,predicted_hit,reject_reason", lines[0], StringComparison.Ordinal);
        Assert.Equal(50, lines.Length);
        Assert.EndsWith(",,,wrong_field_count", lines[3], StringComparison.Ordinal);
        Assert.Matches(",0\\.[0-9]+,[01],$", lines[1]);
        Assert.Contains("on artists it has not seen: validation AUC", _out.ToString(), StringComparison.Ordinal);
        Assert.Contains("song-grouped split for comparison: AUC", _out.ToString(), StringComparison.Ordinal);
        Assert.Contains("48 of 49 rows", _out.ToString(), StringComparison.Ordinal);
        Assert.Matches("; model evaluation [0-9]+\\.[0-9]{2} s of it -> ", _out.ToString());
        Assert.Contains("model.zip evaluated by compiled evaluator (60 trees, checked against ML.NET", _out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_writes_artist_grouped_metrics_the_song_grouped_comparison_and_the_cards_section()
    {
        File.WriteAllBytes(Path("ready.csv"), RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[5]));

        await Run("train", "--input", Path("ready.csv"), "--output-dir", Path("model"), "--profile", "quick");

        using var metrics = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path("model/metrics.json")));
        using var card = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path("model/model-card.json")));
        var m = metrics.RootElement;
        Assert.Equal("artist", m.GetProperty("validationGrouping").GetString());
        Assert.Equal("artist", m.GetProperty("crossValidation").GetProperty("grouping").GetString());
        foreach (var name in (string[])["auc", "logLoss", "accuracy", "brier"])
        {
            Assert.InRange(m.GetProperty("validation").GetProperty(name).GetDouble(), 0.05, 1);
            Assert.InRange(m.GetProperty("songGroupedValidation").GetProperty(name).GetDouble(), 0.05, 1);
        }

        Assert.Equal(
            m.GetProperty("songGroupedValidation").GetProperty("auc").GetDouble() - m.GetProperty("validation").GetProperty("auc").GetDouble(),
            m.GetProperty("artistGap").GetProperty("aucGap").GetDouble(), tolerance: 1e-5);
        Assert.Equal("1990", m.GetProperty("perDecade")[0].GetProperty("decade").GetString());
        var scope = card.RootElement.GetProperty("canAndCannotTell");
        Assert.Contains("audio features", scope.GetProperty("inputs").GetString(), StringComparison.Ordinal);
        Assert.Contains("artists with two or more songs", scope.GetProperty("artistProperty").GetString(), StringComparison.Ordinal);
        Assert.Equal(10, scope.GetProperty("calibration").GetArrayLength());
        Assert.True(card.RootElement.GetProperty("rows").GetProperty("validationArtists").GetInt32() > 100);
    }

    [Fact]
    public async Task Train_says_where_its_time_went_and_the_card_keeps_the_stages()
    {
        File.WriteAllBytes(Path("ready.csv"), RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[5]));

        await Run("train", "--input", Path("ready.csv"), "--output-dir", Path("model"), "--profile", "quick");

        var line = _out.ToString().Split('\n').Single(l => l.StartsWith("time (s): ", StringComparison.Ordinal));
        Assert.Matches(
            "^time \\(s\\): processStart [0-9.]+, load [0-9.]+, crossValidation [0-9.]+, finalFit [0-9.]+, songGroupedComparison [0-9.]+, evaluation [0-9.]+, " +
            "importance [0-9.]+, packageWait [0-9.]+, writing [0-9.]+; sum [0-9.]+ \\(reference [0-9.]+ and saving [0-9.]+ beside importance\\)",
            line.TrimEnd());
        using var card = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path("model/model-card.json")));
        var stages = card.RootElement.GetProperty("timingsSeconds").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["processStart", "load", "crossValidation", "finalFit", "songGroupedComparison", "evaluation", "importance", "reference", "saving", "packageWait", "total"], stages);
    }

    [Fact]
    public async Task Train_refuses_a_ready_file_without_the_artist_column()
    {
        var lines = System.Text.Encoding.UTF8.GetString(RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[5])).Split('\n').Take(100);
        File.WriteAllLines(Path("old-ready.csv"), lines.Select(l => System.Text.RegularExpressions.Regex.Replace(l, "^([^,]*),(\"[^\"]*\"|[^,]*),", "$1,")));

        var exit = await Run("train", "--input", Path("old-ready.csv"), "--output-dir", Path("m"));

        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Contains("missing column(s) artist", _err.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path("m")));
    }

    [Fact]
    public async Task Score_refuses_a_file_without_the_audio_features()
    {
        File.WriteAllText(Path("bad.csv"), "track,artist\nA,B\n");
        File.WriteAllBytes(Path("ready.csv"), RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[5]));
        await Run("train", "--input", Path("ready.csv"), "--output-dir", Path("model"), "--profile", "quick");

        var exit = await Run("score", "--model", Path("model/model.zip"), "--input", Path("bad.csv"), "--output", Path("scored.csv"));

        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Contains("danceability", _err.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path("scored.csv")));
    }

    [Theory]
    [InlineData("'--output-dir' is required", "--input", "a.csv")]
    [InlineData("'--input' is required", "--output-dir", "x")]
    [InlineData("'--output-dir' is required", "--input", "a.csv", "--profile", "quick")]
    public async Task Train_names_a_missing_required_option(string message, params string[] args)
    {
        Assert.Equal(ExitCodes.Usage, await Run(["train", .. args]));
        Assert.Contains(message, _err.ToString(), StringComparison.Ordinal);
        AssertOneLineWithoutStackTrace();
    }

    [Fact]
    public async Task Train_refuses_a_mistyped_option_and_suggests_the_right_one()
    {
        File.WriteAllBytes(Path("ready.csv"), RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[5]));

        var exit = await Run("train", "--input", Path("ready.csv"), "--output-dir", Path("model"), "--profil", "quick");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("Unknown option '--profil'. Did you mean --profile?", _err.ToString(), StringComparison.Ordinal);
        AssertOneLineWithoutStackTrace();
        Assert.False(Directory.Exists(Path("model")));
    }

    [Theory]
    [InlineData("--ouput", "--output")]
    [InlineData("--Input", "--input")]
    [InlineData("--mdoel", "--model")]
    public async Task Score_refuses_a_mistyped_option_and_suggests_the_right_one(string typed, string meant)
    {
        var args = new List<string> { "score", "--model", Path("model.zip"), "--input", Path("raw.csv"), "--output", Path("scored.csv") };
        args[args.IndexOf(meant)] = typed;

        Assert.Equal(ExitCodes.Usage, await Run([.. args]));
        Assert.Contains($"Unknown option '{typed}'. Did you mean {meant}?", _err.ToString(), StringComparison.Ordinal);
        AssertOneLineWithoutStackTrace();
    }

    [Fact]
    public async Task Train_refuses_a_profile_it_does_not_have_naming_the_ones_it_has()
    {
        var exit = await Run("train", "--input", Path("ready.csv"), "--output-dir", Path("model"), "--profile", "fast");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("'fast'", _err.ToString(), StringComparison.Ordinal);
        Assert.Contains("'single'", _err.ToString(), StringComparison.Ordinal);
        AssertOneLineWithoutStackTrace();
    }

    [Theory]
    [InlineData("trian", "train")]
    [InlineData("socre", "score")]
    [InlineData("rolback", "rollback")]
    public async Task A_mistyped_command_is_refused_with_a_suggestion(string typed, string meant)
    {
        Assert.Equal(ExitCodes.Usage, await Run(typed, "--input", Path("ready.csv")));
        Assert.Contains($"Unknown command '{typed}'. Did you mean {meant}?", _err.ToString(), StringComparison.Ordinal);
        AssertOneLineWithoutStackTrace();
    }

    [Fact]
    public async Task Without_a_command_it_names_the_commands_and_exits_2()
    {
        Assert.Equal(ExitCodes.Usage, await Run());
        Assert.Contains("A command is required: train, score, worker, history, rollback.", _err.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_refuses_an_unknown_option_before_starting()
    {
        Assert.Equal(ExitCodes.Usage, await Run("worker", "--queue", "q"));
        Assert.Contains("Unknown option '--queue'", _err.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_every_command_and_the_exit_codes()
    {
        Assert.Equal(ExitCodes.Ok, await Run("--help"));

        foreach (var command in (string[])["train", "score", "worker", "history", "rollback"])
        {
            Assert.Matches($"\\n  {command} +[A-Z]", _out.ToString());
        }

        Assert.Contains("Exit codes", _out.ToString(), StringComparison.Ordinal);
        Assert.Contains("3  preprocess refused the file", _out.ToString(), StringComparison.Ordinal);
        Assert.Empty(_err.ToString());
    }

    [Theory]
    [InlineData("train", "--input <FILE> (REQUIRED)", "--output-dir <DIR> (REQUIRED)", "--profile <full|quick|single>", "--dataset-id <ID>")]
    [InlineData("score", "--model <FILE> (REQUIRED)", "--input <FILE> (REQUIRED)", "--output <FILE> (REQUIRED)")]
    [InlineData("rollback", "--to <VERSION> (REQUIRED)")]
    [InlineData("history", "CHARTBUSTER_ARTIFACTS_BUCKET")]
    [InlineData("worker", "CHARTBUSTER_TRAINING_QUEUE_URL")]
    public async Task Every_command_has_help_listing_its_options(string command, params string[] expected)
    {
        Assert.Equal(ExitCodes.Ok, await Run(command, "--help"));

        foreach (var text in expected.Append("Exit codes"))
        {
            Assert.Contains(text, _out.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Rollback_names_its_missing_version_option_before_reading_the_registry()
    {
        Assert.Equal(ExitCodes.Usage, await Run("rollback"));
        Assert.Contains("Option '--to' is required.", _err.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_without_the_artifacts_bucket_variable_says_so_and_exits_2()
    {
        Assert.Equal(ExitCodes.Usage, await Run("history"));
        Assert.Contains("CHARTBUSTER_ARTIFACTS_BUCKET is not set.", _err.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_refuses_a_ready_file_with_an_invalid_row_naming_its_line()
    {
        File.WriteAllText(Path("dirty.csv"), string.Join('\n', File.ReadAllLines(RepositoryPaths.DecadeFiles()[0]).Take(30)).Replace(",0.", ",9.", StringComparison.Ordinal));

        var exit = await Run("train", "--input", Path("dirty.csv"), "--output-dir", Path("m"));

        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Contains("line 2", _err.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path("m")));
    }

    private async Task<string> TrainQuickModel()
    {
        File.WriteAllBytes(Path("ready.csv"), RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[5]));
        Assert.Equal(ExitCodes.Ok, await Run("train", "--input", Path("ready.csv"), "--output-dir", Path("model"), "--profile", "quick"));
        return Path("model/model.zip");
    }

    private void AssertOneLineWithoutStackTrace()
    {
        var message = _err.ToString().TrimEnd();
        Assert.Single(message.Split('\n'));
        Assert.DoesNotContain(" at ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_refuses_to_write_over_its_input()
    {
        var model = await TrainQuickModel();
        File.WriteAllLines(Path("raw.csv"), File.ReadAllLines(RepositoryPaths.DecadeFiles()[4]).Take(20));
        var before = File.ReadAllBytes(Path("raw.csv"));

        var exit = await Run("score", "--model", model, "--input", Path("raw.csv"), "--output", Path("./raw.csv"));

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal(before, File.ReadAllBytes(Path("raw.csv")));
        AssertOneLineWithoutStackTrace();
    }

    [Fact]
    public async Task Score_with_a_file_that_is_not_a_model_gives_one_line()
    {
        File.WriteAllText(Path("model.zip"), "not a model");
        File.WriteAllLines(Path("raw.csv"), File.ReadAllLines(RepositoryPaths.DecadeFiles()[4]).Take(20));

        var exit = await Run("score", "--model", Path("model.zip"), "--input", Path("raw.csv"), "--output", Path("scored.csv"));

        Assert.Equal(ExitCodes.Failed, exit);
        AssertOneLineWithoutStackTrace();
        Assert.False(File.Exists(Path("scored.csv")));
    }

    [Fact]
    public async Task Score_into_a_folder_that_does_not_exist_gives_one_line_and_exit_code_4()
    {
        var model = await TrainQuickModel();
        File.WriteAllLines(Path("raw.csv"), File.ReadAllLines(RepositoryPaths.DecadeFiles()[4]).Take(20));
        _err.GetStringBuilder().Clear();

        var exit = await Run("score", "--model", model, "--input", Path("raw.csv"), "--output", Path("no/such/dir/scored.csv"));

        Assert.Equal(ExitCodes.IoError, exit);
        AssertOneLineWithoutStackTrace();
    }

    [Fact]
    public async Task Train_refuses_an_input_inside_its_output_directory()
    {
        Directory.CreateDirectory(Path("model"));
        File.WriteAllBytes(Path("model/ready.csv"), RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[5]));

        var exit = await Run("train", "--input", Path("model/ready.csv"), "--output-dir", Path("model"), "--profile", "quick");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal(["ready.csv"], Directory.GetFiles(Path("model")).Select(System.IO.Path.GetFileName));
        AssertOneLineWithoutStackTrace();
    }

    [Fact]
    public async Task Train_into_an_output_directory_that_cannot_be_created_gives_one_line_and_exit_code_4()
    {
        File.WriteAllBytes(Path("ready.csv"), RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[5]));
        File.WriteAllText(Path("a-file"), "not a directory");

        var exit = await Run("train", "--input", Path("ready.csv"), "--output-dir", Path("a-file/model"), "--profile", "quick");

        Assert.Equal(ExitCodes.IoError, exit);
        AssertOneLineWithoutStackTrace();
    }

    public void Dispose()
    {
        _out.Dispose();
        _err.Dispose();
        _work.Delete(recursive: true);
    }
}
