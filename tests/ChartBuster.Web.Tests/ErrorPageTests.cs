using System.Net;
using System.Net.Http.Headers;

namespace ChartBuster.Web.Tests;

/// <summary>Errors on pages are HTML pages in the site's layout; the API keeps problem details.</summary>
public sealed class ErrorPageTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    private static async Task<string> Html(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("<nav aria-label=\"Main\">", html, StringComparison.Ordinal);
        Assert.Contains($"Error {(int)status}", html, StringComparison.Ordinal);
        return html;
    }

    [Fact]
    public async Task A_page_that_does_not_exist_is_a_404_page()
    {
        using var app = new WebAppFactory(models.First);

        var html = await Html(await app.CreateClient().GetAsync("/no-such-page"), HttpStatusCode.NotFound);

        Assert.Contains("Page not found", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_path_that_does_not_exist_stays_problem_details()
    {
        using var app = new WebAppFactory(models.First);

        var response = await app.CreateClient().GetAsync("/api/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/?handler=Paste")]
    public async Task A_form_without_its_antiforgery_token_gets_a_page_that_says_what_to_do(string path)
    {
        using var app = new WebAppFactory(models.First);

        var response = await app.CreateClient().PostAsync(path, PredictPageTests.Form(token: null));

        var html = await Html(response, HttpStatusCode.BadRequest);
        Assert.Contains("This form has expired", html, StringComparison.Ordinal);
        Assert.Contains("reload the page and send it again", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_upload_without_its_token_gets_the_same_page_and_a_way_back()
    {
        using var app = new WebAppFactory(models.First);
        using var form = new MultipartFormDataContent { { new ByteArrayContent("track\n"u8.ToArray()), "songs", "x.csv" } };

        var html = await Html(await app.CreateClient().PostAsync("/Batch", form), HttpStatusCode.BadRequest);

        Assert.Contains("This form has expired", html, StringComparison.Ordinal);
        Assert.Contains("<a class=\"button\" href=\"/Batch\">Back to Score a file</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_over_the_size_limit_is_a_413_page()
    {
        using var app = WebAppFactory.OnKestrel(models.First);
        var (client, token) = await PredictPageTests.OpenPage(app);

        var response = await client.PostAsync("/", PredictPageTests.Form(token, ("paste", new string('x', 100_000))));

        var html = await Html(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("That is too large", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_file_over_the_size_limit_is_a_413_page()
    {
        using var app = WebAppFactory.OnKestrel(models.First);
        var (client, token) = await PredictPageTests.OpenPage(app, "/Batch");
        using var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        var file = new ByteArrayContent(new byte[(4 << 20) + (200 << 10)]);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "songs", "big.csv");

        // As curl does for large bodies: the site answers 413 from the declared length, before the body is sent. Without
        // it the site's answer races the client's upload, and a client still writing when the site closes the
        // connection gets "broken pipe" instead of the page (a browser shows the page: BrowserTests).
        using var request = new HttpRequestMessage(HttpMethod.Post, "/Batch") { Content = form };
        request.Headers.ExpectContinue = true;

        var html = await Html(await client.SendAsync(request), HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("files up to 4 MB", html, StringComparison.Ordinal);
    }
}
