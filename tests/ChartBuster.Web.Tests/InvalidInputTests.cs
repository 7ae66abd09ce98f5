using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ChartBuster.Model.Serving;
using Microsoft.Extensions.DependencyInjection;

namespace ChartBuster.Web.Tests;

/// <summary>Numbers that are not numbers, in JSON and in the form: field errors, and the model is never asked.</summary>
public sealed class InvalidInputTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    private const string Song =
        "\"danceability\":0.7,\"key\":5,\"loudness\":-5.2,\"mode\":1,\"speechiness\":0.05,\"acousticness\":0.1,\"instrumentalness\":0," +
        "\"liveness\":0.1,\"valence\":0.6,\"tempo\":120,\"duration_ms\":210000,\"time_signature\":4,\"chorus_hit\":35,\"sections\":9";

    private static long Answered(WebAppFactory app) => app.Services.GetRequiredService<CurrentModel>().Serving!.Model.SongsAnswered;

    /// <summary>A typical song with this JSON text for its energy; the songs the model answered before and after.</summary>
    private async Task<(HttpResponseMessage Response, long Before, long After)> PostSongWithEnergy(string energy)
    {
        using var app = new WebAppFactory(models.First);
        var client = app.CreateClient();
        await client.GetAsync("/health/ready");
        var before = Answered(app);
        var response = await client.PostAsync("/api/predictions", new StringContent($"{{{Song},\"energy\":{energy}}}", Encoding.UTF8, "application/json"));
        await response.Content.LoadIntoBufferAsync();
        return (response, before, Answered(app));
    }

    [Theory]
    [InlineData("\"0.8\"")]
    [InlineData("\"NaN\"")]
    [InlineData("\"Infinity\"")]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("true")]
    [InlineData("[0.8]")]
    public async Task An_energy_that_is_not_a_finite_JSON_number_gets_a_field_error_and_no_prediction(string energy)
    {
        var (response, answeredBefore, answeredAfter) = await PostSongWithEnergy(energy);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["energy"], errors.EnumerateObject().Select(p => p.Name));
        Assert.Equal(answeredBefore, answeredAfter);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public async Task A_bare_NaN_or_Infinity_is_not_JSON_and_gets_a_problem(string energy)
    {
        var (response, answeredBefore, answeredAfter) = await PostSongWithEnergy(energy);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(answeredBefore, answeredAfter);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e400")]
    [InlineData("0x1F")]
    [InlineData("∞")]
    public async Task A_form_energy_that_is_not_a_finite_number_gets_a_field_error_and_no_prediction(string energy)
    {
        using var app = new WebAppFactory(models.First);
        var (client, token) = await PredictPageTests.OpenPage(app);
        var before = Answered(app);
        var html = await (await client.PostAsync("/", PredictPageTests.Form(token, ("energy", energy)))).Content.ReadAsStringAsync();

        Assert.Contains("data-error-for=\"energy\">energy must be a number.</span>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"hit-probability\"", html, StringComparison.Ordinal);
        Assert.Equal(before, Answered(app));
    }

    [Fact]
    public async Task Batch_refuses_a_post_without_the_antiforgery_token()
    {
        using var app = new WebAppFactory(models.First);
        var client = app.CreateClient();
        await client.GetAsync("/Batch");
        var before = Answered(app);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(File.ReadAllBytes(RepositoryPaths.DecadeFiles()[0])), "songs", "songs.csv" } };

        var response = await client.PostAsync("/Batch", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, Answered(app));
    }
}
