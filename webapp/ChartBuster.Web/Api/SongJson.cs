using System.Text.Json;
using ChartBuster.Model;
using ChartBuster.Songs;

namespace ChartBuster.Web.Api;

/// <summary>One valid song of a request, and the inputs that were filled in because the request left them out.</summary>
public sealed record ParsedSong(SongNumbers Song, IReadOnlyList<SongColumn> Imputed)
{
    public SongModelInput Input => SongModelInput.FromSong(Song);
}

/// <summary>
/// Reads songs from the API's JSON (the data contract's raw names: danceability, energy, …, duration_ms,
/// time_signature, chorus_hit, sections, and optionally decade) and validates them by the cleaning rules, with the
/// page's relaxations (<see cref="SongInput"/>): <c>key</c> may be a note name ("F#", "B♭"), <c>mode</c> "major" or
/// "minor", the length <c>duration</c> as "m:ss" instead of <c>duration_ms</c>, and <c>chorus_hit</c> and
/// <c>sections</c> may be left out when the model can fill them in. Spotify's audio-features response reads as it is
/// (its extra fields are ignored), also wrapped as <c>{"audio_features": [...]}</c>. Every broken field is counted
/// under its name ("energy", or "[2].energy" inside an array); the first <c>maxErrors</c> are kept, so an answer
/// stays small whatever the request.
/// </summary>
public static class SongJson
{
    public const string Wrapper = "audio_features";

    public sealed record Parsed(IReadOnlyList<ParsedSong> Songs, bool IsArray, Dictionary<string, string[]> Errors, int ErrorCount);

    /// <summary>
    /// The number of songs in a JSON body without parsing it into a document: the items of the top-level array (or
    /// of the <c>audio_features</c> array of a top-level object; counting stops past <paramref name="stopAfter"/>),
    /// or 1 for anything else. Throws <see cref="JsonException"/> for malformed JSON found on the way.
    /// </summary>
    public static int CountSongs(ReadOnlySpan<byte> json, int stopAfter)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read())
        {
            return 1;
        }

        if (reader.TokenType == JsonTokenType.StartObject && !SeekWrappedArray(ref reader))
        {
            return 1;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return 1;
        }

        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (++count > stopAfter)
            {
                return count;
            }

            reader.Skip();
        }

        return count;
    }

    public static Parsed Read(JsonElement body, StructureImputation? imputation, int maxErrors, int? defaultDecade = null)
    {
        var errors = new Errors(maxErrors);
        var songs = new List<ParsedSong>();
        var reader = new SongReader(imputation, defaultDecade);
        if (body.ValueKind == JsonValueKind.Object && TryGetWrapped(body, out var wrapped))
        {
            body = wrapped;
        }

        switch (body.ValueKind)
        {
            case JsonValueKind.Object:
                reader.Read(body, "", songs, errors);
                return new Parsed(songs, false, errors.Listed, errors.Count);
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in body.EnumerateArray())
                {
                    reader.Read(item, $"[{index++}].", songs, errors);
                }

                if (index == 0)
                {
                    errors.Add("$", "The array holds no song.");
                }

                return new Parsed(songs, true, errors.Listed, errors.Count);
            default:
                errors.Add("$", "Send one song as a JSON object, or several as an array of objects.");
                return new Parsed(songs, false, errors.Listed, errors.Count);
        }
    }

    /// <summary>Moves the reader from a top-level object's start to its <c>audio_features</c> array, if it has one.</summary>
    private static bool SeekWrappedArray(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isWrapper = string.Equals(reader.GetString(), Wrapper, StringComparison.OrdinalIgnoreCase);
            reader.Read();
            if (isWrapper && reader.TokenType == JsonTokenType.StartArray)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }

    private static bool TryGetWrapped(JsonElement body, out JsonElement wrapped)
    {
        foreach (var property in body.EnumerateObject())
        {
            if (string.Equals(property.Name, Wrapper, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.Array)
            {
                wrapped = property.Value;
                return true;
            }
        }

        wrapped = default;
        return false;
    }

    /// <summary>Field errors: all counted, the first ones kept.</summary>
    internal sealed class Errors(int max)
    {
        public Dictionary<string, string[]> Listed { get; } = new(StringComparer.Ordinal);

        public int Count { get; private set; }

        public void Add(string field, string message)
        {
            Count++;
            if (Listed.Count < max)
            {
                Listed.TryAdd(field, [message]);
            }
        }
    }
}
