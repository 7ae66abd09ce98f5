using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace ChartBuster.Web.Tests;

public sealed partial class BatchPageTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    private static async Task<HttpResponseMessage> Upload(WebAppFactory app, byte[] content, string fileName)
    {
        var client = app.CreateClient();
        var token = Token().Match(await client.GetStringAsync("/Batch")).Groups[1].Value;
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
        };
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "songs", fileName);
        return await client.PostAsync("/Batch", form);
    }

    [Fact]
    public async Task Returns_the_file_scored_with_rejected_rows_and_their_reasons()
    {
        using var app = new WebAppFactory(models.First);
        var lines = File.ReadAllLines(RepositoryPaths.DecadeFiles()[3]).Take(101).ToArray();
        lines[5] = lines[5].Replace(",spotify:", ",,spotify:", StringComparison.Ordinal);

        var response = await Upload(app, Encoding.UTF8.GetBytes(string.Join('\n', lines)), "../../etc/passwd.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("scored-v-first.csv", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var scored = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(101, scored.Length);
        Assert.EndsWith("hit_probability,predicted_hit,reject_reason", scored[0], StringComparison.Ordinal);
        Assert.EndsWith(",,,wrong_field_count", scored[5], StringComparison.Ordinal);
        Assert.Equal(("99", "1"), (response.Headers.GetValues("X-Rows-Scored").Single(), response.Headers.GetValues("X-Rows-Rejected").Single()));
    }

    [Fact]
    public async Task Explains_a_file_without_the_audio_features()
    {
        using var app = new WebAppFactory(models.First);

        var response = await Upload(app, "track,artist\nA,B\n"u8.ToArray(), "names.csv");

        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("id=\"batch-error\"", html, StringComparison.Ordinal);
        Assert.Contains("danceability", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_an_upload_over_the_size_limit()
    {
        using var app = new WebAppFactory(models.First);

        var response = await Upload(app, new byte[5 << 20], "big.csv");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
