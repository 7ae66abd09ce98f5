namespace ChartBuster.Training.Tests;

public sealed class CommandLineTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("chartbuster-train-");
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    private string Path(string name) => System.IO.Path.Combine(_work.FullName, name);

    [Fact]
    public void Train_writes_the_three_files_and_score_adds_probabilities_and_reasons()
    {
        File.WriteAllBytes(Path("ready.csv"), RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[5]));
        var raw = File.ReadAllLines(RepositoryPaths.DecadeFiles()[4]).Take(50).ToList();
        raw[3] = raw[3].Replace(",spotify:", ",,spotify:", StringComparison.Ordinal);
        File.WriteAllLines(Path("raw.csv"), raw);

        var trained = TrainCommand.Run(new CommandLine(["--input", Path("ready.csv"), "--output-dir", Path("model"), "--profile", "quick"]), _out, _err);
        var scored = ScoreCommand.Run(new CommandLine(["--model", Path("model/model.zip"), "--input", Path("raw.csv"), "--output", Path("scored.csv")]), _out, _err);

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
    public void Train_writes_artist_grouped_metrics_the_song_grouped_comparison_and_the_cards_section()
    {
        File.WriteAllBytes(Path("ready.csv"), RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[5]));

        TrainCommand.Run(new CommandLine(["--input", Path("ready.csv"), "--output-dir", Path("model"), "--profile", "quick"]), _out, _err);

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
    public void Train_says_where_its_time_went_and_the_card_keeps_the_stages()
    {
        File.WriteAllBytes(Path("ready.csv"), RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[5]));

        TrainCommand.Run(new CommandLine(["--input", Path("ready.csv"), "--output-dir", Path("model"), "--profile", "quick"]), _out, _err);

        var line = _out.ToString().Split('\n').Single(l => l.StartsWith("time (s): ", StringComparison.Ordinal));
        Assert.Matches(
            "^time \\(s\\): processStart [0-9.]+, load [0-9.]+, crossValidation [0-9.]+, finalFit [0-9.]+, evaluation [0-9.]+, importance [0-9.]+, " +
            "reference [0-9.]+, saving [0-9.]+, comparisonWait [0-9.]+, writing [0-9.]+; sum [0-9.]+ \\(songGroupedComparison [0-9.]+ beside evaluation to saving\\)",
            line.TrimEnd());
        using var card = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path("model/model-card.json")));
        var stages = card.RootElement.GetProperty("timingsSeconds").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["processStart", "load", "crossValidation", "finalFit", "evaluation", "importance", "reference", "saving", "songGroupedComparison", "comparisonWait", "total"], stages);
    }

    [Fact]
    public void Train_refuses_a_ready_file_without_the_artist_column()
    {
        var lines = System.Text.Encoding.UTF8.GetString(RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[5])).Split('\n').Take(100);
        File.WriteAllLines(Path("old-ready.csv"), lines.Select(l => System.Text.RegularExpressions.Regex.Replace(l, "^([^,]*),(\"[^\"]*\"|[^,]*),", "$1,")));

        var exit = TrainCommand.Run(new CommandLine(["--input", Path("old-ready.csv"), "--output-dir", Path("m")]), _out, _err);

        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Contains("missing column(s) artist", _err.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path("m")));
    }

    [Fact]
    public void Score_refuses_a_file_without_the_audio_features()
    {
        File.WriteAllText(Path("bad.csv"), "track,artist\nA,B\n");
        File.WriteAllBytes(Path("ready.csv"), RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[5]));
        TrainCommand.Run(new CommandLine(["--input", Path("ready.csv"), "--output-dir", Path("model"), "--profile", "quick"]), _out, _err);

        var exit = ScoreCommand.Run(new CommandLine(["--model", Path("model/model.zip"), "--input", Path("bad.csv"), "--output", Path("scored.csv")]), _out, _err);

        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Contains("danceability", _err.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path("scored.csv")));
    }

    [Theory]
    [InlineData("--input", "a.csv")]
    [InlineData("--output-dir", "x")]
    public void Train_explains_a_usage_error(params string[] args)
    {
        Assert.Equal(ExitCodes.Usage, TrainCommand.Run(new CommandLine(args), _out, _err));
        Assert.Contains("usage: train", _err.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Train_refuses_a_ready_file_with_an_invalid_row_naming_its_line()
    {
        File.WriteAllText(Path("dirty.csv"), string.Join('\n', File.ReadAllLines(RepositoryPaths.DecadeFiles()[0]).Take(30)).Replace(",0.", ",9.", StringComparison.Ordinal));

        var exit = TrainCommand.Run(new CommandLine(["--input", Path("dirty.csv"), "--output-dir", Path("m")]), _out, _err);

        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Contains("line 2", _err.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path("m")));
    }

    private string TrainQuickModel()
    {
        File.WriteAllBytes(Path("ready.csv"), RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[5]));
        Assert.Equal(ExitCodes.Ok, TrainCommand.Run(new CommandLine(["--input", Path("ready.csv"), "--output-dir", Path("model"), "--profile", "quick"]), _out, _err));
        return Path("model/model.zip");
    }

    private void AssertOneLineWithoutStackTrace()
    {
        var message = _err.ToString().TrimEnd();
        Assert.Single(message.Split('\n'));
        Assert.DoesNotContain(" at ", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_refuses_to_write_over_its_input()
    {
        var model = TrainQuickModel();
        File.WriteAllLines(Path("raw.csv"), File.ReadAllLines(RepositoryPaths.DecadeFiles()[4]).Take(20));
        var before = File.ReadAllBytes(Path("raw.csv"));

        var exit = ScoreCommand.Run(new CommandLine(["--model", model, "--input", Path("raw.csv"), "--output", Path("./raw.csv")]), _out, _err);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal(before, File.ReadAllBytes(Path("raw.csv")));
        AssertOneLineWithoutStackTrace();
    }

    [Fact]
    public void Score_with_a_file_that_is_not_a_model_gives_one_line()
    {
        File.WriteAllText(Path("model.zip"), "not a model");
        File.WriteAllLines(Path("raw.csv"), File.ReadAllLines(RepositoryPaths.DecadeFiles()[4]).Take(20));

        var exit = ScoreCommand.Run(new CommandLine(["--model", Path("model.zip"), "--input", Path("raw.csv"), "--output", Path("scored.csv")]), _out, _err);

        Assert.Equal(ExitCodes.Failed, exit);
        AssertOneLineWithoutStackTrace();
        Assert.False(File.Exists(Path("scored.csv")));
    }

    [Fact]
    public void Score_into_a_folder_that_does_not_exist_gives_one_line_and_exit_code_4()
    {
        var model = TrainQuickModel();
        File.WriteAllLines(Path("raw.csv"), File.ReadAllLines(RepositoryPaths.DecadeFiles()[4]).Take(20));
        _err.GetStringBuilder().Clear();

        var exit = ScoreCommand.Run(new CommandLine(["--model", model, "--input", Path("raw.csv"), "--output", Path("no/such/dir/scored.csv")]), _out, _err);

        Assert.Equal(ExitCodes.IoError, exit);
        AssertOneLineWithoutStackTrace();
    }

    [Fact]
    public void Train_refuses_an_input_inside_its_output_directory()
    {
        Directory.CreateDirectory(Path("model"));
        File.WriteAllBytes(Path("model/ready.csv"), RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[5]));

        var exit = TrainCommand.Run(new CommandLine(["--input", Path("model/ready.csv"), "--output-dir", Path("model"), "--profile", "quick"]), _out, _err);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal(["ready.csv"], Directory.GetFiles(Path("model")).Select(System.IO.Path.GetFileName));
        AssertOneLineWithoutStackTrace();
    }

    [Fact]
    public void Train_into_an_output_directory_that_cannot_be_created_gives_one_line_and_exit_code_4()
    {
        File.WriteAllBytes(Path("ready.csv"), RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[5]));
        File.WriteAllText(Path("a-file"), "not a directory");

        var exit = TrainCommand.Run(new CommandLine(["--input", Path("ready.csv"), "--output-dir", Path("a-file/model"), "--profile", "quick"]), _out, _err);

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
