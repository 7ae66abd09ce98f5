using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using ChartBuster.Model;
using ChartBuster.Songs;
using ChartBuster.Web.Insights;
using Microsoft.AspNetCore.Mvc;

namespace ChartBuster.Web.Tests;

/// <summary>The predict form is drawn from the song schema and posts into one typed input, checked field by field.</summary>
public sealed class SongFormTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    private static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Renders_each_number_field_with_the_label_range_and_step_of_the_song_schema()
    {
        using var app = new WebAppFactory(models.First);

        var html = WebUtility.HtmlDecode(await app.CreateClient().GetStringAsync("/"));

        var numbers = SongSchema.Inputs.Where(i => SongFields.All.Single(f => f.Column == i.Column).Kind == FieldKind.Number).ToList();
        Assert.Equal(11, numbers.Count);
        foreach (var input in numbers)
        {
            var element = Regex.Match(html, $"<input id=\"{input.Name}\" name=\"{input.Name}\" type=\"number\"[^>]*>").Value;
            Assert.Contains($" min=\"{Invariant(input.Rule.Min)}\"", element, StringComparison.Ordinal);
            Assert.Contains($" max=\"{Invariant(input.Rule.Max)}\"", element, StringComparison.Ordinal);
            Assert.Contains($" step=\"{Invariant(input.Step)}\"", element, StringComparison.Ordinal);
            Assert.Contains($" data-slider-step=\"{Invariant(input.Step)}\"", element, StringComparison.Ordinal);
            Assert.Matches($"<label for=\"{input.Name}\">{Regex.Escape(input.Label)}( \\(optional\\))?</label>", html);
        }
    }

    [Fact]
    public async Task The_length_slider_steps_by_the_schemas_step_in_seconds_and_the_charts_draw_the_hit_threshold()
    {
        using var app = new WebAppFactory(models.First);

        var html = await app.CreateClient().GetStringAsync("/");

        var duration = Regex.Match(html, "<input id=\"duration\" [^>]*>").Value;
        Assert.Contains($" data-slider-step=\"{Invariant(SongSchema.Describe(SongColumn.DurationMs).Step / 1000)}\"", duration, StringComparison.Ordinal);
        Assert.Contains($" data-threshold=\"{Invariant(HitThreshold.Probability)}\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_above_its_schema_range_shows_that_fields_message_beside_it()
    {
        using var app = new WebAppFactory(models.First);
        var (client, token) = await PredictPageTests.OpenPage(app);

        foreach (var field in SongFields.All.Where(f => f.Kind == FieldKind.Number))
        {
            var rule = SongSchema.Describe(field.Column).Rule;
            var response = await client.PostAsync("/", PredictPageTests.Form(token, (field.Name, Invariant(rule.Max + 1))));
            var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains($"<span class=\"field-error\" id=\"{field.Name}-error\" data-error-for=\"{field.Name}\">{field.Name} must be", html, StringComparison.Ordinal);
            Assert.Contains($"value=\"{Invariant(rule.Max + 1)}\"", html, StringComparison.Ordinal);
            Assert.Contains("One input needs fixing", html, StringComparison.Ordinal);
            Assert.DoesNotContain("id=\"hit-probability\"", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_form_binds_to_one_typed_property_per_field_under_the_fields_own_name()
    {
        var bound = typeof(SongFormInput).GetProperties()
            .Select(p => p.GetCustomAttribute<ModelBinderAttribute>()?.Name)
            .OfType<string>()
            .Order(StringComparer.Ordinal);

        Assert.Equal(SongFields.All.Select(f => f.Name).Append("decade").Append("duration_ms").Order(StringComparer.Ordinal), bound);
    }

    [Fact]
    public void Reads_a_typed_input_into_a_song_with_one_message_per_broken_field()
    {
        var input = SongFormInput.Of(ServingSong(), 2010) with { Energy = "1.5", Tempo = "fast", Decade = "the sixties" };

        var reading = input.Read(imputation: null);

        Assert.Equal(["decade", "energy", "tempo"], reading.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("energy must be from 0 to 1.", reading.Errors["energy"]);
        Assert.Equal("tempo must be a number.", reading.Errors["tempo"]);
    }

    [Fact]
    public void A_link_in_milliseconds_reads_as_the_length_and_round_trips_as_m_ss()
    {
        var input = SongFormInput.Of(ServingSong(), 2010) with { Duration = null, DurationMs = "215000" };

        var reading = input.Read(imputation: null);

        Assert.True(reading.IsValid, string.Join("; ", reading.Errors.Values));
        Assert.Equal(215_000, reading.Song[SongColumn.DurationMs]);
        Assert.Contains("duration=3%3A35", input.Query(), StringComparison.Ordinal);
    }

    private static SongNumbers ServingSong()
    {
        var song = default(SongNumbers);
        var values = new Dictionary<SongColumn, double>
        {
            [SongColumn.Danceability] = 0.6, [SongColumn.Energy] = 0.7, [SongColumn.Key] = 5, [SongColumn.Loudness] = -6, [SongColumn.Mode] = 1,
            [SongColumn.Speechiness] = 0.05, [SongColumn.Acousticness] = 0.15, [SongColumn.Instrumentalness] = 0, [SongColumn.Liveness] = 0.12,
            [SongColumn.Valence] = 0.55, [SongColumn.Tempo] = 118, [SongColumn.DurationMs] = 215_000, [SongColumn.TimeSignature] = 4,
            [SongColumn.ChorusHit] = 40, [SongColumn.Sections] = 10,
        };
        foreach (var (column, value) in values)
        {
            song[column] = value;
        }

        return song;
    }
}
