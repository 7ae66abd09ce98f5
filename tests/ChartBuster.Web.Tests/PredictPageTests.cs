using System.Net;
using System.Text.RegularExpressions;

namespace ChartBuster.Web.Tests;

public sealed partial class PredictPageTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    private static readonly Dictionary<string, string> s_defaults = new()
    {
        ["danceability"] = "0.7", ["energy"] = "0.8", ["valence"] = "0.6", ["acousticness"] = "0.1", ["instrumentalness"] = "0",
        ["speechiness"] = "0.05", ["liveness"] = "0.1", ["loudness"] = "-5", ["tempo"] = "120", ["time_signature"] = "4",
        ["key"] = "5", ["mode"] = "1", ["duration"] = "3:30", ["chorus_hit"] = "35", ["sections"] = "9", ["decade"] = "2010",
    };

    internal static async Task<(HttpClient Client, string Token)> OpenPage(WebAppFactory app, string path = "/")
    {
        var client = app.CreateClient();
        var html = await Get(client, path);
        return (client, Forms.Token().Match(html).Groups[1].Value);
    }

    internal static FormUrlEncodedContent Form(string? token, params (string Field, string? Value)[] changes)
    {
        var values = new Dictionary<string, string>(s_defaults);
        foreach (var (field, value) in changes)
        {
            if (value is null)
            {
                values.Remove(field);
            }
            else
            {
                values[field] = value;
            }
        }

        return new FormUrlEncodedContent(token is null ? values : values.Append(new("__RequestVerificationToken", token)));
    }

    private static async Task<string> Post(WebAppFactory app, params (string Field, string? Value)[] changes)
    {
        var (client, token) = await OpenPage(app);
        var response = await client.PostAsync("/", Form(token, changes));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    /// <summary>A page as text (character references decoded: "model's", not "model&amp;#x27;s").</summary>
    private static async Task<string> Get(HttpClient client, string path) => WebUtility.HtmlDecode(await client.GetStringAsync(path));

    private static string Probability(string html) => ProbabilityText().Match(html).Groups[1].Value;

    [Fact]
    public void Every_input_of_the_data_contract_has_a_field()
    {
        Assert.Equal(
            ChartBuster.Songs.SongFeatures.RawColumns.Order(),
            ChartBuster.Web.Insights.SongFields.All.Select(f => f.Column).Order());
    }

    [Fact]
    public async Task Shows_the_key_as_note_names_the_mode_as_major_or_minor_and_the_length_as_minutes_and_seconds()
    {
        using var app = new WebAppFactory(models.First);

        var html = await Get(app.CreateClient(), "/");

        foreach (var field in s_defaults.Keys)
        {
            Assert.Contains($"name=\"{field}\"", html, StringComparison.Ordinal);
        }

        Assert.Contains("<option value=\"6\">F♯/G♭</option>", html, StringComparison.Ordinal);
        Assert.Contains(">minor</option>", html, StringComparison.Ordinal);
        Assert.Matches("id=\"duration\" name=\"duration\" type=\"text\" inputmode=\"numeric\" value=\"[0-9]+:[0-9]{2}", html);
        Assert.Contains("Chorus starts at (s) (optional)", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Opens_on_the_typical_song_of_the_latest_decade_already_answered()
    {
        using var app = new WebAppFactory(models.First);

        var html = await Get(app.CreateClient(), "/");

        Assert.Contains("Starting from the typical 2010s song of the training data", html, StringComparison.Ordinal);
        Assert.Matches("id=\"hit-probability\">[0-9.]+ %<", html);
        Assert.Contains("A hit here means the song reached the Billboard Hot 100 in its decade.", html, StringComparison.Ordinal);
        Assert.Contains("15 inputs equal to the typical song's have no effect", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_with_what_the_number_means_its_rank_and_why_in_the_forms_own_words()
    {
        using var app = new WebAppFactory(models.First);

        var html = await Post(app, ("valence", "0.15"), ("acousticness", "0.8"), ("duration", "6:10"));

        Assert.Matches("(Likely|Unlikely) to chart", html);
        Assert.Matches("of the [0-9,]+ training songs were hits, so read this as the model's confidence", html);
        Assert.Matches("Scores higher than <strong>[0-9]+ %</strong> of the 2010s songs that charted, and [0-9]+ % of those that did not \\([0-9]+ held-out 2010s songs", html);
        Assert.Contains("Why: against the typical 2010s song of the training data", html, StringComparison.Ordinal);
        Assert.Matches("<th scope=\"row\">Valence \\(mood\\) <small>0.15 vs 0\\.[0-9]+</small></th>\\s*<td class=\"num\">[+−][0-9.]+</td>", html);
        Assert.Contains("Length (m:ss) <small>6:10 vs", html, StringComparison.Ordinal);
        Assert.DoesNotContain(">duration_ms<", html, StringComparison.Ordinal);
        Assert.Matches("The effects add up to the gap: [0-9.]+ % − [0-9.]+ % = [+−][0-9.]+ points\\.", html);
        Assert.Contains("model <span id=\"model-version\">v-first</span>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shows_the_closest_real_hits_and_the_decade_time_machine()
    {
        using var app = new WebAppFactory(models.First);

        var html = await Post(app);

        Assert.Contains("Closest real hits of the 2010s", html, StringComparison.Ordinal);
        Assert.Equal(3, ClosestHit().Count(html));
        Assert.Contains("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"decades-chart\"", html, StringComparison.Ordinal);
        Assert.Matches("aria-label=\"The same song's probability in each decade: 2000s [0-9]+%, 2010s [0-9]+%\"", html);
    }

    [Fact]
    public async Task Draws_a_what_if_curve_beside_every_input()
    {
        using var app = new WebAppFactory(models.First);

        var html = await Post(app);

        Assert.Equal(15, CurveSvg().Count(html));
        Assert.Contains("id=\"curve-duration\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Marks_each_invalid_field_ties_the_message_to_it_and_lists_them_all_at_the_top()
    {
        using var app = new WebAppFactory(models.First);

        var html = await Post(app, ("energy", "2"), ("tempo", "fast"), ("duration", "3:75"), ("danceability", null));

        Assert.Contains("<span class=\"field-error\" id=\"energy-error\" data-error-for=\"energy\">energy must be from 0 to 1.</span>", html, StringComparison.Ordinal);
        Assert.Contains("tempo must be a number.", html, StringComparison.Ordinal);
        Assert.Contains("duration must be minutes and seconds, such as 3:40.", html, StringComparison.Ordinal);
        Assert.Contains("danceability is required.", html, StringComparison.Ordinal);
        Assert.Matches("id=\"energy\" name=\"energy\" type=\"number\"[^>]*aria-describedby=\"energy-help energy-error\" aria-invalid=\"true\"", html);
        Assert.Contains("<div class=\"error-summary\" id=\"error-summary\" role=\"alert\" tabindex=\"-1\" autofocus>", html, StringComparison.Ordinal);
        Assert.Contains("4 inputs need fixing", html, StringComparison.Ordinal);
        Assert.Contains("<li><a href=\"#energy\">energy must be from 0 to 1.</a></li>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"hit-probability\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"fast\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leaves_chorus_and_sections_to_the_model_when_blank_and_says_what_it_estimated()
    {
        using var app = new WebAppFactory(models.First);

        var html = await Post(app, ("chorus_hit", ""), ("sections", ""));

        Assert.Matches("id=\"hit-probability\">[0-9.]+ %<", html);
        Assert.Matches("<p class=\"notice\" id=\"imputed\">Estimated from the length \\(medians of training songs of similar length\\): Chorus starts at \\(s\\) [0-9.]+, Sections [0-9]+\\.</p>", html);
        Assert.Matches("placeholder=\"estimated: [0-9]+\"", html);
    }

    [Fact]
    public async Task A_shared_link_opens_the_same_song_with_the_same_answer()
    {
        using var app = new WebAppFactory(models.First);
        var posted = await Post(app, ("energy", "0.33"), ("key", "Eb"));
        var link = WebUtility.HtmlDecode(ShareLink().Match(posted).Groups[1].Value);

        var opened = await Get(app.CreateClient(), link);

        Assert.Contains("energy=0.33", link, StringComparison.Ordinal);
        Assert.Contains("key=3", link, StringComparison.Ordinal);
        Assert.Equal(Probability(posted), Probability(opened));
        Assert.Contains("<option value=\"3\" selected=\"selected\">D♯/E♭</option>", opened, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starts_from_a_preset_made_from_real_songs()
    {
        using var app = new WebAppFactory(models.First);
        var client = app.CreateClient();

        var home = await Get(client, "/");
        var html = await Get(client, "/?preset=dance-2010");

        Assert.Contains("href=\"/?preset=dance-2010\"", home, StringComparison.Ordinal);
        Assert.Matches("Dance-floor hit, 2010s: The median of each input over the [0-9,]+ charting 2010s songs in the training data with danceability ≥ 0.7 and energy ≥ 0.7.", html);
        Assert.Matches("id=\"hit-probability\">[0-9.]+ %<", html);
    }

    [Fact]
    public async Task Finds_a_real_song_and_starts_from_its_real_features()
    {
        using var app = new WebAppFactory(models.First);
        var client = app.CreateClient();

        var found = await Get(client, "/?find=rolling+in+the+deep");
        var id = FoundSong().Match(found).Groups[1].Value;
        var html = await Get(client, $"/?song={id}");

        Assert.Contains("Rolling In The Deep</a> <span class=\"by\">Adele · 2010s · charted</span>", found, StringComparison.Ordinal);
        Assert.Contains("Rolling In The Deep by Adele (2010s, charted): its real audio features.", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"2010\" selected=\"selected\">2010s</option>", html, StringComparison.Ordinal);
        Assert.Matches("id=\"hit-probability\">[0-9.]+ %<", html);
    }

    [Fact]
    public async Task An_unknown_song_or_preset_says_so_and_starts_from_the_typical_song()
    {
        using var app = new WebAppFactory(models.First);

        var html = await Get(app.CreateClient(), "/?song=nope");

        Assert.Contains("That song is not among this model's training songs", html, StringComparison.Ordinal);
        Assert.Matches("id=\"hit-probability\">[0-9.]+ %<", html);
    }

    [Fact]
    public async Task Pasted_spotify_audio_features_fill_the_form_and_get_an_answer()
    {
        using var app = new WebAppFactory(models.First);
        var (client, token) = await OpenPage(app);
        const string spotify = """
            {"danceability":0.735,"energy":0.578,"key":1,"loudness":-11.84,"mode":0,"speechiness":0.0461,"acousticness":0.514,
             "instrumentalness":0.0902,"liveness":0.159,"valence":0.636,"tempo":98.002,"type":"audio_features",
             "id":"06AKEBrKUckW0KREUWRnvT","uri":"spotify:track:06AKEBrKUckW0KREUWRnvT","track_href":"https://api.spotify.com/v1/tracks/06AKEBrKUckW0KREUWRnvT",
             "analysis_url":"https://api.spotify.com/v1/audio-analysis/06AKEBrKUckW0KREUWRnvT","duration_ms":255349,"time_signature":4}
            """;

        var response = await client.PostAsync("/?handler=Paste", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["paste"] = spotify, ["pasteDecade"] = "2000", ["__RequestVerificationToken"] = token,
        }));
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The pasted audio features.", html, StringComparison.Ordinal);
        Assert.Contains("value=\"4:15.349\"", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"1\" selected=\"selected\">C♯/D♭</option>", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"2000\" selected=\"selected\">2000s</option>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"imputed\"", html, StringComparison.Ordinal);
        Assert.Matches("id=\"hit-probability\">[0-9.]+ %<", html);
    }

    [Theory]
    [InlineData("{\"energy\": ", "That is not JSON")]
    [InlineData("{\"danceability\":0.7,\"energy\":1.7,\"key\":1,\"loudness\":-6,\"mode\":1,\"speechiness\":0.05,\"acousticness\":0.1,\"instrumentalness\":0,\"liveness\":0.1,\"valence\":0.5,\"tempo\":120,\"duration_ms\":200000,\"time_signature\":4}", "energy must be from 0 to 1.")]
    [InlineData("[1, 2]", "Each song must be a JSON object.")]
    public async Task A_paste_that_cannot_be_used_says_why_next_to_the_box(string paste, string message)
    {
        using var app = new WebAppFactory(models.First);
        var (client, token) = await OpenPage(app);

        var html = WebUtility.HtmlDecode(await (await client.PostAsync("/?handler=Paste", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["paste"] = paste, ["__RequestVerificationToken"] = token,
        }))).Content.ReadAsStringAsync());

        Assert.Contains("id=\"paste-errors\"", html, StringComparison.Ordinal);
        Assert.Contains(message, html, StringComparison.Ordinal);
        Assert.Contains("<details class=\"start\" id=\"paste-box\" open=\"open\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notes_inputs_outside_what_the_model_saw_in_training()
    {
        using var app = new WebAppFactory(models.First);

        var html = await Post(app, ("tempo", "299"));

        Assert.Contains("id=\"out-of-range\"", html, StringComparison.Ordinal);
        Assert.Matches("Tempo \\(BPM\\) 299 is above anything the model saw in training \\(max [0-9.]+\\)", html);
        Assert.Matches("id=\"hit-probability\">[0-9.]+ %<", html);
    }

    [Fact]
    public async Task A_model_without_a_training_reference_still_answers_with_its_base_rate()
    {
        using var app = new WebAppFactory(models.Bare);

        var html = await Post(app, ("decade", "1990"));

        Assert.Matches("id=\"hit-probability\">[0-9.]+ %<", html);
        Assert.Contains("A hit here means the song reached the Billboard Hot 100 in its decade.", html, StringComparison.Ordinal);
        Assert.Contains("No rank", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"why\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/", "/")]
    [InlineData("/Batch", "/Batch")]
    [InlineData("/Model", "/Model")]
    [InlineData("/datasets", "/datasets")]
    public async Task The_navigation_marks_the_current_page(string path, string link)
    {
        using var app = new WebAppFactory(models.First);

        var html = await Get(app.CreateClient(), path);

        Assert.Single(AriaCurrent().Matches(html));
        Assert.Matches($"<a href=\"{link}\" aria-current=\"page\">", html);
    }

    [GeneratedRegex("id=\"hit-probability\">([0-9.]+ %)<")]
    private static partial Regex ProbabilityText();

    [GeneratedRegex("<li><a href=\"/\\?song=[0-9a-f]+\">[^<]+</a> <span class=\"by\">")]
    private static partial Regex ClosestHit();

    [GeneratedRegex("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"curve\"")]
    private static partial Regex CurveSvg();

    [GeneratedRegex("<a id=\"share-link\" href=\"([^\"]+)\"")]
    private static partial Regex ShareLink();

    [GeneratedRegex("<li><a href=\"/\\?song=([0-9a-f]+)\">Rolling In The Deep</a> <span class=\"by\">Adele")]
    private static partial Regex FoundSong();

    [GeneratedRegex("aria-current=\"page\"")]
    private static partial Regex AriaCurrent();
}
