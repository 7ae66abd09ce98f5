using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ChartBuster.Web.Tests;

/// <summary>The API's explanations, what-if curves, songs and presets, and the relaxed song fields.</summary>
public sealed class ExplainApiTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    private static Dictionary<string, object?> Song(params (string Field, object? Value)[] changes)
    {
        var song = new Dictionary<string, object?>
        {
            ["danceability"] = 0.45, ["energy"] = 0.3, ["key"] = 2, ["loudness"] = -11.5, ["mode"] = 0, ["speechiness"] = 0.035,
            ["acousticness"] = 0.8, ["instrumentalness"] = 0.0002, ["liveness"] = 0.11, ["valence"] = 0.2, ["tempo"] = 76,
            ["duration_ms"] = 262000, ["time_signature"] = 4, ["chorus_hit"] = 48.5, ["sections"] = 11, ["decade"] = 2010,
        };
        foreach (var (field, value) in changes)
        {
            if (value is null)
            {
                song.Remove(field);
            }
            else
            {
                song[field] = value;
            }
        }

        return song;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Explains_a_song_with_effects_that_add_up_to_the_gap_from_the_typical_song_of_its_decade()
    {
        using var app = new WebAppFactory(models.First);

        var body = await Json(await app.CreateClient().PostAsJsonAsync("/api/predictions?explain=true", Song()));

        var x = body.GetProperty("explanation");
        var effects = x.GetProperty("effects").EnumerateArray().ToList();
        var reference = x.GetProperty("reference");
        var gap = body.GetProperty("hitProbability").GetDouble() - reference.GetProperty("hitProbability").GetDouble();
        Assert.Equal(15, effects.Count);
        Assert.Equal(x.GetProperty("gap").GetDouble(), effects.Sum(e => e.GetProperty("effect").GetDouble()), 7);
        Assert.Equal(gap, x.GetProperty("gap").GetDouble(), 5);
        Assert.StartsWith("the typical 2010s song of the training data", reference.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains(effects, e => e.GetProperty("label").GetString() == "Valence (mood)" && e.GetProperty("input").GetString() == "valence");
        Assert.Equal("reached the Billboard Hot 100 in its decade", x.GetProperty("meaning").GetProperty("hit").GetString());
        Assert.InRange(x.GetProperty("meaning").GetProperty("baseRate").GetDouble(), 0.4, 0.6);
        Assert.InRange(x.GetProperty("meaning").GetProperty("amongHits").GetDouble(), 0, 1);
        Assert.Equal(3, x.GetProperty("closestHits").GetArrayLength());
        Assert.Equal(2010, x.GetProperty("closestHits")[0].GetProperty("decade").GetInt32());
    }

    [Fact]
    public async Task An_input_sent_at_the_references_value_has_no_effect()
    {
        using var app = new WebAppFactory(models.First);
        var client = app.CreateClient();
        var first = await Json(await client.PostAsJsonAsync("/api/predictions?explain=true", Song()));
        var typical = first.GetProperty("explanation").GetProperty("reference").GetProperty("inputs").EnumerateObject()
            .ToDictionary(p => p.Name, p => (object?)p.Value.GetDouble());
        typical["energy"] = 0.25;
        typical["tempo"] = 150.0;
        typical["decade"] = 2010;

        var body = await Json(await client.PostAsJsonAsync("/api/predictions?explain=true", typical));

        var effects = body.GetProperty("explanation").GetProperty("effects").EnumerateArray().ToList();
        Assert.All(effects.Where(e => e.GetProperty("input").GetString() is not ("energy" or "tempo")), e => Assert.Equal(0, e.GetProperty("effect").GetDouble()));
        Assert.StartsWith("exact Shapley values", body.GetProperty("explanation").GetProperty("method").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Takes_spotifys_audio_features_as_they_are_and_says_what_it_filled_in()
    {
        using var app = new WebAppFactory(models.First);
        var spotify = Song(("chorus_hit", null), ("sections", null), ("decade", null), ("id", "06AKEBrKUckW0KREUWRnvT"), ("type", "audio_features"),
            ("track_href", "https://api.spotify.com/v1/tracks/06AKEBrKUckW0KREUWRnvT"), ("analysis_url", "https://example.org/x"));
        var client = app.CreateClient();

        var one = await Json(await client.PostAsJsonAsync("/api/predictions", spotify));
        var wrapped = await Json(await client.PostAsJsonAsync("/api/predictions", new Dictionary<string, object> { ["audio_features"] = new[] { spotify, spotify } }));

        Assert.Equal(["chorus_hit", "sections"], one.GetProperty("imputed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Array, wrapped.ValueKind);
        Assert.Equal(one.GetProperty("hitProbability").GetDouble(), wrapped[1].GetProperty("hitProbability").GetDouble());
    }

    [Fact]
    public async Task Reads_the_key_as_a_note_name_the_mode_as_a_word_and_the_length_as_minutes_and_seconds()
    {
        using var app = new WebAppFactory(models.First);
        var client = app.CreateClient();

        var numbers = await Json(await client.PostAsJsonAsync("/api/predictions", Song(("key", 6), ("mode", 0), ("duration_ms", 210000))));
        var words = await Json(await client.PostAsJsonAsync("/api/predictions", Song(("key", "F#"), ("mode", "minor"), ("duration_ms", null), ("duration", "3:30"))));
        var flat = await Json(await client.PostAsJsonAsync("/api/predictions", Song(("key", "G♭"), ("mode", "minor"), ("duration_ms", null), ("duration", "3:30"))));

        Assert.Equal(numbers.GetProperty("hitProbability").GetDouble(), words.GetProperty("hitProbability").GetDouble());
        Assert.Equal(numbers.GetProperty("hitProbability").GetDouble(), flat.GetProperty("hitProbability").GetDouble());
        Assert.False(words.TryGetProperty("imputed", out _));
    }

    [Fact]
    public async Task Refuses_words_it_cannot_read_naming_each_field()
    {
        using var app = new WebAppFactory(models.First);

        var response = await app.CreateClient().PostAsJsonAsync("/api/predictions",
            Song(("key", "H"), ("mode", "loud"), ("duration_ms", null), ("duration", "3:75"), ("energy", "high")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["duration", "energy", "key", "mode"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Contains("note name", errors.GetProperty("key")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("energy must be a number.", errors.GetProperty("energy")[0].GetString());
    }

    [Fact]
    public async Task Explains_at_most_ten_songs_per_request()
    {
        using var app = new WebAppFactory(models.First);

        var response = await app.CreateClient().PostAsJsonAsync("/api/predictions?explain=true", Enumerable.Repeat(Song(), 11).ToArray());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 10 songs", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Draws_what_if_curves_through_the_song_and_scores_it_in_every_decade()
    {
        using var app = new WebAppFactory(models.First);
        var client = app.CreateClient();

        var body = await Json(await client.PostAsJsonAsync("/api/predictions/curves", Song()));
        var plain = await Json(await client.PostAsJsonAsync("/api/predictions", Song()));

        var probability = plain.GetProperty("hitProbability").GetDouble();
        var curves = body.GetProperty("curves").EnumerateArray().ToList();
        Assert.Equal(15, curves.Count);
        var valence = curves.Single(c => c.GetProperty("input").GetString() == "valence").GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(probability, valence.Single(p => p.GetProperty("value").GetDouble() == 0.2).GetProperty("hitProbability").GetDouble(), 5);
        Assert.Equal([2000, 2010], body.GetProperty("decades").EnumerateArray().Select(d => d.GetProperty("decade").GetInt32()));
        Assert.Equal(probability, body.GetProperty("decades")[1].GetProperty("hitProbability").GetDouble(), 5);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/predictions/curves", new[] { Song() })).StatusCode);
    }

    [Fact]
    public async Task Searches_the_training_songs_and_hands_back_a_songs_inputs()
    {
        using var app = new WebAppFactory(models.First);
        var client = app.CreateClient();

        var found = await Json(await client.GetAsync("/api/songs?q=adele&limit=3"));
        var id = found[0].GetProperty("id").GetString();
        var song = await Json(await client.GetAsync($"/api/songs/{id}"));
        var missing = await client.GetAsync("/api/songs/nope");

        Assert.InRange(found.GetArrayLength(), 1, 3);
        Assert.Equal("Adele", song.GetProperty("artist").GetString());
        Assert.Equal(15, song.GetProperty("inputs").EnumerateObject().Count());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        var inputs = song.GetProperty("inputs").EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.GetDouble());
        inputs["decade"] = song.GetProperty("decade").GetInt32();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/predictions", inputs)).StatusCode);
    }

    [Fact]
    public async Task Lists_the_presets_with_how_each_was_made()
    {
        using var app = new WebAppFactory(models.First);

        var presets = await Json(await app.CreateClient().GetAsync("/api/presets"));

        Assert.Contains(presets.EnumerateArray(), p => p.GetProperty("id").GetString() == "hit-2010"
            && p.GetProperty("description").GetString()!.StartsWith("The median of each input over the", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_model_without_a_training_reference_predicts_but_cannot_explain()
    {
        using var app = new WebAppFactory(models.Bare);
        var client = app.CreateClient();

        var plain = await client.PostAsJsonAsync("/api/predictions", Song());
        var explained = await client.PostAsJsonAsync("/api/predictions?explain=true", Song());
        var noStructure = await client.PostAsJsonAsync("/api/predictions", Song(("sections", null)));

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, explained.StatusCode);
        Assert.Contains("retrain", await explained.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noStructure.StatusCode);
        Assert.Contains("sections is required.", await noStructure.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_describes_explain_curves_and_songs()
    {
        using var app = new WebAppFactory(models.First);

        var document = await app.CreateClient().GetStringAsync("/openapi/v1.json");

        Assert.Contains("\"/api/predictions/curves\"", document, StringComparison.Ordinal);
        Assert.Contains("\"/api/songs/{id}\"", document, StringComparison.Ordinal);
        Assert.Contains("\"name\": \"explain\"", document, StringComparison.Ordinal);
        Assert.Contains("ExplanationResponse", document, StringComparison.Ordinal);
    }
}
