using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using System.Text.Json;
using ChartBuster.Songs;
using ChartBuster.Songs.Csv;
using ChartBuster.Web.Api;

namespace ChartBuster.Web.Tests;

/// <summary>Real songs of one decade file, as the API's JSON: every column of the file, the numbers as numbers.</summary>
public sealed class RealSongArrays
{
    public RealSongArrays()
    {
        var songs = new List<Dictionary<string, object>>();
        foreach (var file in RepositoryPaths.DecadeFiles().Reverse()) // the 2010s, the 2000s, … until 10,000 songs
        {
            var decade = Decades.FromFileName(file);
            var csv = new CsvRecordReader(File.OpenRead(file));
            csv.Read();
            var header = Enumerable.Range(0, csv.FieldCount).Select(i => Encoding.UTF8.GetString(csv[i])).ToArray();
            while (csv.Read() && songs.Count < 10_000)
            {
                var song = new Dictionary<string, object>(StringComparer.Ordinal);
                for (var i = 0; i < header.Length; i++)
                {
                    var text = Encoding.UTF8.GetString(csv[i]);
                    song[header[i]] = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : text;
                }

                song["decade"] = decade;
                if (IsValid(song))
                {
                    songs.Add(song);
                }
            }
        }

        Songs = songs;
    }

    /// <summary>Up to 10,000 valid songs of the file, with their track, artist, uri and target (fields the API ignores).</summary>
    public IReadOnlyList<Dictionary<string, object>> Songs { get; }

    public static byte[] Json(IEnumerable<Dictionary<string, object>> songs) => JsonSerializer.SerializeToUtf8Bytes(songs);

    private static bool IsValid(Dictionary<string, object> song)
    {
        var values = SongFeatures.RawColumns.ToDictionary(c => c, c => song.GetValueOrDefault(SongSchema.NameOf(c)) is double d ? d : (double?)null);
        return SongValidation.Validate(values, (int)song["decade"], out _).Count == 0;
    }
}

/// <summary>
/// Arrays of plain songs take a fast path (read straight into the evaluator's columnar input, answered by one block,
/// written by a JSON writer); it must answer exactly what the reference path answers, errors included.
/// </summary>
public sealed class ApiArrayTests(TrainedModels models, RealSongArrays real) : IClassFixture<TrainedModels>, IClassFixture<RealSongArrays>
{
    private static readonly JsonSerializerOptions s_web = new(JsonSerializerDefaults.Web);

    /// <summary>The same songs with mode written "major" or "minor": the same numbers, but only the reference reader reads them.</summary>
    private static List<Dictionary<string, object>> WithModeInWords(IEnumerable<Dictionary<string, object>> songs) =>
        [.. songs.Select(s => new Dictionary<string, object>(s) { ["mode"] = (double)s["mode"] == 1 ? "major" : "minor" })];

    private static async Task<(HttpStatusCode Status, string Body)> Post(HttpClient client, byte[] json)
    {
        using var content = new ByteArrayContent(json);
        content.Headers.ContentType = new("application/json");
        var response = await client.PostAsync("/api/predictions", content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The site with the song budget out of the way: these tests send several arrays of 10,000 songs at once.</summary>
    private WebAppFactory Site() =>
        new(models.First, new() { ["RateLimit:SongsPerSecond"] = "1000000000", ["RateLimit:SongBurst"] = "1000000000" });

    /// <summary>A problem's JSON without its traceId (one per request).</summary>
    private static string WithoutTraceId(string problem)
    {
        var fields = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(problem)!;
        fields.Remove("traceId");
        return JsonSerializer.Serialize(fields);
    }

    [Fact]
    public async Task Ten_thousand_real_songs_get_the_same_answers_by_the_fast_path_as_by_the_reference_path()
    {
        using var app = Site();
        var client = app.CreateClient();
        var plain = RealSongArrays.Json(real.Songs);
        var worded = RealSongArrays.Json(WithModeInWords(real.Songs));
        using (var fast = PlainSongArray.TryRead(plain, 10_000))
        {
            Assert.Equal(real.Songs.Count, fast?.Count);
        }

        Assert.Null(PlainSongArray.TryRead(worded, 10_000));

        var byFastPath = await Post(client, plain);
        var byReferencePath = await Post(client, worded);

        Assert.Equal(10_000, real.Songs.Count);
        Assert.Equal(HttpStatusCode.OK, byFastPath.Status);
        Assert.Equal(byReferencePath, byFastPath);
        var answers = JsonDocument.Parse(byFastPath.Body).RootElement;
        Assert.Equal(10_000, answers.GetArrayLength());
        Assert.Contains(answers.EnumerateArray(), a => a.GetProperty("predictedHit").GetBoolean());
        Assert.Contains(answers.EnumerateArray(), a => !a.GetProperty("predictedHit").GetBoolean());
    }

    [Fact]
    public async Task Broken_real_songs_get_the_reference_paths_errors_naming_each_song_by_index_and_field()
    {
        using var app = Site();
        var client = app.CreateClient();
        var songs = real.Songs.Select(s => new Dictionary<string, object>(s)).ToList();
        songs[17]["energy"] = 1.5;
        songs[404].Remove("danceability");
        songs[9000]["tempo"] = "fast";
        songs[9999]["decade"] = 1955;
        var json = RealSongArrays.Json(songs);

        var (status, body) = await Post(client, json);
        var (_, worded) = await Post(client, RealSongArrays.Json(WithModeInWords(songs)));

        Assert.Null(PlainSongArray.TryRead(json, 10_000));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.Equal("energy must be from 0 to 1.", errors.GetProperty("[17].energy")[0].GetString());
        Assert.Equal("danceability is required.", errors.GetProperty("[404].danceability")[0].GetString());
        Assert.Equal("tempo must be a number.", errors.GetProperty("[9000].tempo")[0].GetString());
        Assert.StartsWith("decade must be", errors.GetProperty("[9999].decade")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(4, errors.EnumerateObject().Count());
        Assert.Equal(WithoutTraceId(worded), WithoutTraceId(body));
    }

    [Theory]
    [InlineData("a null", "{\"omit\":\"energy\",\"extra\":\"\\\"energy\\\":null\"}")]
    [InlineData("a missing field (left to the imputation or the errors)", "{\"omit\":\"sections\"}")]
    [InlineData("a repeated field", "{\"extra\":\"\\\"tempo\\\":121\"}")]
    [InlineData("a length as m:ss", "{\"extra\":\"\\\"duration\\\":\\\"3:30\\\"\"}")]
    [InlineData("a decade in words", "{\"extra\":\"\\\"decade\\\":\\\"90s\\\"\"}")]
    [InlineData("a field name with an escape", "{\"extra\":\"\\\"t\\\\u0065mpo\\\":121\"}")]
    [InlineData("a field name outside ASCII", "{\"extra\":\"\\\"tempo\u0131\\\":121\"}")]
    [InlineData("a chorus after the end", "{\"set\":\"chorus_hit\",\"value\":400}")]
    public void Leaves_anything_but_plain_songs_to_the_reference_reader(string what, string change)
    {
        var json = Encoding.UTF8.GetBytes(SongsWith(change));

        Assert.True(PlainSongArray.TryRead(json, 100) is null, what);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"audio_features\": []}")]
    [InlineData("[1, 2]")]
    [InlineData("[{\"energy\": 0.5}] trailing")]
    [InlineData("[{\"energy\": 0.5}")]
    public void Leaves_other_bodies_to_the_reference_reader(string body) =>
        Assert.Null(PlainSongArray.TryRead(Encoding.UTF8.GetBytes(body), 100));

    [Fact]
    public void Reads_plain_songs_whatever_the_case_of_their_names_and_ignores_other_fields_even_nested_ones()
    {
        var json = Encoding.UTF8.GetBytes(SongsWith("{\"extra\":\"\\\"analysis\\\":{\\\"tempo\\\":[1,{\\\"x\\\":2}]},\\\"id\\\":\\\"abc\\\"\",\"upper\":true}"));

        using var songs = PlainSongArray.TryRead(json, 100);

        Assert.Equal(2, songs?.Count);
        Assert.Equal(118, songs!.Songs.Span[1][SongColumn.Tempo]);
        Assert.Equal(2010, songs.Songs.Span[1][SongColumn.Decade]);
    }

    [Fact]
    public void Leaves_an_array_over_the_limit_to_the_reference_reader_which_refuses_it()
    {
        var json = Encoding.UTF8.GetBytes(SongsWith("{}"));

        Assert.Null(PlainSongArray.TryRead(json, 1));
        Assert.NotNull(PlainSongArray.TryRead(json, 2));
    }

    [Fact]
    public async Task Writes_the_same_json_as_serializing_one_response_per_song()
    {
        var probabilities = new[] { 0.5, 0.4999999, 0.12345678, 1e-9, 1, 0 };
        var expected = JsonSerializer.Serialize(
            probabilities.Select(p => new PredictionResponse(Math.Round(p, 6), p >= ChartBuster.Model.HitThreshold.Probability, "v-\"quoted\"/é", null)),
            s_web);
        var buffer = new MemoryStream();
        var pipe = PipeWriter.Create(buffer);

        new PredictionArrayResult(probabilities, "v-\"quoted\"/é").Write(pipe);
        await pipe.FlushAsync();

        Assert.Equal(expected, Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>
    /// Two songs; the second changed as <paramref name="change"/> says: {"omit": field}, {"set": field, "value": n},
    /// {"extra": text added inside the object}, {"upper": true} (every name upper-cased), or [...] as the whole array.
    /// </summary>
    private static string SongsWith(string change)
    {
        if (change.StartsWith('['))
        {
            return change;
        }

        var how = JsonDocument.Parse(change).RootElement;
        var song = new Dictionary<string, object>
        {
            ["danceability"] = 0.6, ["energy"] = 0.7, ["key"] = 5, ["loudness"] = -6, ["mode"] = 1, ["speechiness"] = 0.05,
            ["acousticness"] = 0.15, ["instrumentalness"] = 0, ["liveness"] = 0.12, ["valence"] = 0.55, ["tempo"] = 118,
            ["duration_ms"] = 215000, ["time_signature"] = 4, ["chorus_hit"] = 40, ["sections"] = 10, ["decade"] = 2010,
        };
        var second = new Dictionary<string, object>(song);
        if (how.TryGetProperty("omit", out var omit))
        {
            second.Remove(omit.GetString()!);
        }

        if (how.TryGetProperty("set", out var set))
        {
            second[set.GetString()!] = how.GetProperty("value").GetDouble();
        }

        if (how.TryGetProperty("upper", out _))
        {
            second = second.ToDictionary(p => p.Key.ToUpperInvariant(), p => p.Value);
        }

        var text = JsonSerializer.Serialize(second);
        if (how.TryGetProperty("extra", out var extra))
        {
            text = text[..^1] + "," + extra.GetString() + "}";
        }

        return $"[{JsonSerializer.Serialize(song)},{text}]";
    }
}
