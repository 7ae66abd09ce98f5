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

    /// <summary>The predict form of a typical song, as the page posts it, with some fields changed.</summary>
    public static FormUrlEncodedContent Predict(string token, params (string Field, string Value)[] changes)
    {
        var values = new Dictionary<string, string>
        {
            ["danceability"] = "0.7", ["energy"] = "0.8", ["valence"] = "0.6", ["acousticness"] = "0.1", ["instrumentalness"] = "0",
            ["speechiness"] = "0.05", ["liveness"] = "0.1", ["loudness"] = "-5", ["tempo"] = "120", ["time_signature"] = "4",
            ["key"] = "5", ["mode"] = "1", ["duration_ms"] = "210000", ["chorus_hit"] = "35", ["sections"] = "9",
        };
        foreach (var (field, value) in changes)
        {
            values[field] = value;
        }

        return new FormUrlEncodedContent(values
            .Select(v => new KeyValuePair<string, string>($"Values[{v.Key}]", v.Value))
            .Append(new("Decade", "2010"))
            .Append(new("__RequestVerificationToken", token)));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    public static partial Regex Token();
}
