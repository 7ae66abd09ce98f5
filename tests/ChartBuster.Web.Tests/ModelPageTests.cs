using Amazon.S3.Model;
using ChartBuster.Model.Registry;

namespace ChartBuster.Web.Tests;

public sealed class ModelPageTests(TrainedModels models, EmulatorFixture emulator) : IClassFixture<TrainedModels>, IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Shows_version_metrics_confusion_matrix_and_charts_drawn_as_svg()
    {
        using var app = new WebAppFactory(models.First);

        var html = await app.CreateClient().GetStringAsync("/Model");

        Assert.Contains("id=\"model-version\">v-first<", html, StringComparison.Ordinal);
        Assert.Contains("<dl class=\"metrics\" id=\"metrics\">", html, StringComparison.Ordinal);
        Assert.Contains("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"roc-chart\"", html, StringComparison.Ordinal);
        Assert.Matches("<path class=\"chart-line\" d=\"M36.0,284.0( L[0-9.]+,[0-9.]+){2,}", html);
        Assert.Contains("id=\"importance-chart\"", html, StringComparison.Ordinal);
        Assert.Contains("predicted hit", html, StringComparison.Ordinal);
        Assert.Contains("lives in the registry", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Draws_the_calibration_curve_and_explains_each_metric_in_a_sentence()
    {
        using var app = new WebAppFactory(models.First);

        var html = await app.CreateClient().GetStringAsync("/Model");

        Assert.Contains("id=\"calibration-chart\"", html, StringComparison.Ordinal);
        Assert.Matches("<circle class=\"chart-dot\" cx=\"[0-9.]+\" cy=\"[0-9.]+\" r=\"[0-9.]+\" fill=\"#1a7f37\"><title>[0-9]+ songs predicted", html);
        foreach (var metric in (string[])["AUC", "Accuracy", "F1", "PR-AUC", "Log loss", "Brier score"])
        {
            Assert.Matches($"<dt>{metric}</dt><dd><span class=\"value\">[0-9.]+( %)?</span> [A-Z][^<]+\\.</dd>", html);
        }

        Assert.Contains("A <strong>hit</strong> is a song that reached the Billboard Hot 100 in its decade.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shows_the_version_and_dataset_without_any_server_path()
    {
        using var app = new WebAppFactory(models.First);

        var html = await app.CreateClient().GetStringAsync("/Model");

        Assert.Contains("from a local model file", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Path.GetDirectoryName(app.ModelPath)!, html, StringComparison.Ordinal);
        Assert.DoesNotContain("model.zip", html, StringComparison.Ordinal);
        Assert.Contains("id=\"model-dataset\">first (", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shows_what_the_model_can_and_cannot_tell_with_the_artist_gap_calibration_and_per_decade_figures()
    {
        using var app = new WebAppFactory(models.First);

        var html = await app.CreateClient().GetStringAsync("/Model");

        Assert.Matches("<h2>Quality on [0-9,]+ songs by artists the model has not seen</h2>", html);
        Assert.Contains("<table class=\"metrics\" id=\"grouping-comparison\">", html, StringComparison.Ordinal);
        Assert.Matches("any unseen song \\(its artist may be seen\\): for comparison</th><td class=\"num\">0\\.[0-9]{3}</td>", html);
        Assert.Contains("id=\"artist-gap\"", html, StringComparison.Ordinal);
        Assert.Contains("<section id=\"can-and-cannot\">", html, StringComparison.Ordinal);
        Assert.Contains("What this model can and cannot tell you", html, StringComparison.Ordinal);
        Assert.Contains("artists with two or more songs", html, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "id=\"calibration-chart\""));
        Assert.Matches("<section id=\"can-and-cannot\">(?:(?!</section>)[\\s\\S])*id=\"calibration-chart\"", html);
        Assert.Matches("<table class=\"metrics\" id=\"per-decade\">\\s*<tr><th scope=\"col\">Decade</th>.*\\s*<tr><td>2000s</td><td class=\"num\">[0-9,]+</td><td class=\"num\">[0-9,]+</td><td class=\"num\">0\\.[0-9]{3}</td>", html);
        Assert.DoesNotContain("id=\"song-grouped-only\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Warns_that_a_model_from_before_artist_grouping_was_judged_on_a_song_grouped_split()
    {
        var old = Directory.CreateTempSubdirectory("chartbuster-old-model-").FullName;
        File.Copy(Path.Combine(models.First, ModelFiles.Model), Path.Combine(old, ModelFiles.Model));
        var metrics = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(models.First, ModelFiles.Metrics)))!.AsObject();
        var card = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(models.First, ModelFiles.Card)))!.AsObject();
        foreach (var name in (string[])["validationGrouping", "songGroupedValidation", "artistGap", "perDecade"])
        {
            metrics.Remove(name);
        }

        card.Remove("canAndCannotTell");
        File.WriteAllText(Path.Combine(old, ModelFiles.Metrics), metrics.ToJsonString());
        File.WriteAllText(Path.Combine(old, ModelFiles.Card), card.ToJsonString());
        using var app = new WebAppFactory(old);

        var html = await app.CreateClient().GetStringAsync("/Model");

        Assert.Contains("id=\"song-grouped-only\"", html, StringComparison.Ordinal);
        Assert.Matches("<h2>Quality on [0-9,]+ held-out songs</h2>", html);
        Assert.DoesNotContain("can-and-cannot", html, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "id=\"calibration-chart\""));
        Directory.Delete(old, recursive: true);
    }

    [Fact]
    public async Task Lists_the_history_of_versions_with_their_gate_outcome_when_following_the_registry()
    {
        var bucket = await emulator.CreateBucketAsync("artifacts");
        var registry = new ModelRegistry(emulator.S3, bucket);
        foreach (var (folder, version, status) in new[] { (models.First, "20261101T000000Z-aaaa", "promoted"), (models.Second, "20261102T000000Z-bbbb", "rejected") })
        {
            var card = System.Text.Json.JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(folder, ModelFiles.Card)), ChartBuster.Model.ModelJsonContext.Default.ModelCard)!
                with { ModelVersion = version, Status = status, StatusReason = status == "rejected" ? "worse than the serving model" : "first model" };
            await registry.StoreVersionAsync(card, File.ReadAllBytes(Path.Combine(folder, ModelFiles.Model)), File.ReadAllBytes(Path.Combine(folder, ModelFiles.Metrics)), CancellationToken.None);
        }

        await registry.PointToAsync(new ModelPointer("20261101T000000Z-aaaa", "first", DateTimeOffset.UtcNow, 0.9, "first model", null), CancellationToken.None);
        using var app = WebAppFactory.FollowingRegistry(models.First, emulator, bucket);

        var html = await app.CreateClient().GetStringAsync("/Model");

        Assert.Contains("<tr class=\"rejected\" id=\"version-20261102T000000Z-bbbb\"><td>20261102T000000Z-bbbb</td><td>rejected</td>", html, StringComparison.Ordinal);
        Assert.Contains("worse than the serving model", html, StringComparison.Ordinal);
        Assert.Contains("<tr class=\"promoted\" id=\"version-20261101T000000Z-aaaa\"><td>20261101T000000Z-aaaa</td>", html, StringComparison.Ordinal);
    }
}
