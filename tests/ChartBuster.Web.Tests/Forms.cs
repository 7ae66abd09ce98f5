using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace ChartBuster.Web.Tests;

/// <summary>What a browser does with the site's forms: take the antiforgery token from the page, post with it.</summary>
internal static partial class Forms
{
    public static async Task<string> TokenAsync(HttpClient client, string page)
    {
        ArgumentNullException.ThrowIfNull(client);
        return Token().Match(await client.GetStringAsync(new Uri(page, UriKind.RelativeOrAbsolute))).Groups[1].Value;
    }

    /// <summary>Uploads a file to /Batch as the page's form does; <paramref name="send"/> "download" asks for the scored file, "summary" for the page.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] content, string fileName, string send = "download")
    {
        var token = await TokenAsync(client, "/Batch");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(send), "send" },
        };
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "songs", fileName);
        return await client.PostAsync("/Batch", form);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    public static partial Regex Token();
}
