using System.Net;
using System.Text.RegularExpressions;

namespace ChartBuster.Web.Tests;

public sealed partial class PredictPageTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    private static readonly Dictionary<string, string> s_defaults = new()
    {
        ["danceability"] = "0.7", ["energy"] = "0.8", ["valence"] = "0.6", ["acousticness"] = "0.1", ["instrumentalness"] = "0",
        ["speechiness"] = "0.05", ["liveness"] = "0.1", ["loudness"] = "-5", ["tempo"] = "120", ["time_signature"] = "4",
        ["key"] = "5", ["mode"] = "1", ["duration_ms"] = "210000", ["chorus_hit"] = "35", ["sections"] = "9",
    };

    private static async Task<(HttpClient Client, string Token)> OpenPage(WebAppFactory app)
    {
        var client = app.CreateClient();
        var html = await client.GetStringAsync("/");
        return (client, Token().Match(html).Groups[1].Value);
    }

    private static FormUrlEncodedContent Form(string? token, params (string Field, string Value)[] changes)
    {
        var values = new Dictionary<string, string>(s_defaults);
        foreach (var (field, value) in changes)
        {
            values[field] = value;
        }

        var form = values.Select(v => new KeyValuePair<string, string>($"Values[{v.Key}]", v.Value)).Append(new("Decade", "2010"));
        return new FormUrlEncodedContent(token is null ? form : form.Append(new("__RequestVerificationToken", token)));
    }

    [Fact]
    public async Task Shows_every_input_of_the_data_contract_with_its_range()
    {
        using var app = new WebAppFactory(models.First);

        var html = await app.CreateClient().GetStringAsync("/");

        foreach (var field in s_defaults.Keys)
        {
            Assert.Contains($"name=\"Values[{field}]\"", html, StringComparison.Ordinal);
        }

        Assert.Contains("name=\"Decade\"", html, StringComparison.Ordinal);
        Assert.Contains("min=\"0\" max=\"300\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_post_without_the_antiforgery_token()
    {
        using var app = new WebAppFactory(models.First);
        var (client, _) = await OpenPage(app);

        var response = await client.PostAsync("/", Form(token: null));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Shows_the_hit_probability_verdict_and_model_version()
    {
        using var app = new WebAppFactory(models.First);
        var (client, token) = await OpenPage(app);

        var html = await (await client.PostAsync("/", Form(token))).Content.ReadAsStringAsync();

        Assert.Matches("id=\"hit-probability\">[0-9.]+ ?%<", html);
        Assert.Matches("(Likely|Unlikely) to chart", html);
        Assert.Contains("model v-first", html, StringComparison.Ordinal);
        Assert.Matches("<li class=\"(up|down)\">[a-z_]+ (pushed it up|pulled it down) [0-9.]+ points</li>", html);
    }

    [Fact]
    public async Task Marks_each_invalid_field_with_a_message_and_keeps_what_was_typed()
    {
        using var app = new WebAppFactory(models.First);
        var (client, token) = await OpenPage(app);

        var html = await (await client.PostAsync("/", Form(token, ("energy", "2"), ("tempo", "fast"), ("sections", "")))).Content.ReadAsStringAsync();

        Assert.Contains("data-field=\"energy\">energy must be from 0 to 1.", html, StringComparison.Ordinal);
        Assert.Contains("data-field=\"tempo\">Tempo (BPM) must be a number.", html, StringComparison.Ordinal);
        Assert.Contains("data-field=\"sections\">sections is required.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("hit-probability", html, StringComparison.Ordinal);
        Assert.Contains("value=\"fast\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starts_from_the_training_medians_and_notes_inputs_outside_what_the_model_saw()
    {
        using var app = new WebAppFactory(models.First);
        var card = System.Text.Json.JsonSerializer.Deserialize(
            File.ReadAllBytes(Path.Combine(models.First, "model-card.json")), ChartBuster.Model.ModelJsonContext.Default.ModelCard)!;
        var tempo = card.FeatureRanges!["tempo"];
        var (client, token) = await OpenPage(app);
        var form = await client.GetStringAsync("/");

        var html = await (await client.PostAsync("/", Form(token, ("tempo", "299")))).Content.ReadAsStringAsync();

        var median = Math.Round(card.FeatureRanges["energy"].Median, 3).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"id=\"energy\" name=\"Values[energy]\" type=\"number\" min=\"0\" max=\"1\" step=\"0.01\"\n                           value=\"{median}\"", form, StringComparison.Ordinal);
        Assert.True(tempo.Max < 299);
        Assert.Contains("id=\"out-of-range\"", html, StringComparison.Ordinal);
        Assert.Contains($"Tempo (BPM) 299 is above anything the model saw in training (max {tempo.Max.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)})", html, StringComparison.Ordinal);
        Assert.Contains("id=\"hit-probability\"", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
