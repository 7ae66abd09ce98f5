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
/// (its extra fields are ignored), also wrapped as <c>{"audio_features": [...]}</c>. Every broken field is reported
/// under its name ("energy", or "[2].energy" inside an array).
/// </summary>
public static class SongJson
{
    public sealed record Parsed(IReadOnlyList<ParsedSong> Songs, bool IsArray, Dictionary<string, string[]> Errors);

    private static readonly SongColumn[] s_textAllowed = [SongColumn.Key, SongColumn.Mode];

    public static Parsed Read(JsonElement body, StructureImputation? imputation, int? defaultDecade = null)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var songs = new List<ParsedSong>();
        if (body.ValueKind == JsonValueKind.Object && TryGet(body, "audio_features", out var wrapped) && wrapped.ValueKind == JsonValueKind.Array)
        {
            body = wrapped;
        }

        switch (body.ValueKind)
        {
            case JsonValueKind.Object:
                ReadSong(body, "", songs, errors, imputation, defaultDecade);
                return new Parsed(songs, false, errors);
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in body.EnumerateArray())
                {
                    ReadSong(item, $"[{index++}].", songs, errors, imputation, defaultDecade);
                }

                if (index == 0)
                {
                    errors["$"] = ["The array holds no song."];
                }

                return new Parsed(songs, true, errors);
            default:
                errors["$"] = ["Send one song as a JSON object, or several as an array of objects."];
                return new Parsed(songs, false, errors);
        }
    }

    private static void ReadSong(JsonElement item, string prefix, List<ParsedSong> songs, Dictionary<string, string[]> errors, StructureImputation? imputation, int? defaultDecade)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors[prefix.TrimEnd('.')] = ["Each song must be a JSON object."];
            return;
        }

        var values = new Dictionary<SongColumn, double?>();
        var before = errors.Count;
        foreach (var column in SongFeatures.RawColumns)
        {
            var name = SongSchema.NameOf(column);
            var asText = false;
            if (!TryGet(item, name, out var property) || property.ValueKind == JsonValueKind.Null)
            {
                if (column != SongColumn.DurationMs || !TryGet(item, SongInput.DurationText, out property) || property.ValueKind == JsonValueKind.Null)
                {
                    continue; // missing: filled in where the imputation may, else reported by the shared validation
                }

                name = SongInput.DurationText;
                asText = true;
            }

            if (property.ValueKind == JsonValueKind.Number && !asText)
            {
                values[column] = property.GetDouble();
                continue;
            }

            var text = property.ValueKind == JsonValueKind.String && (asText || s_textAllowed.Contains(column)) ? property.GetString()! : null;
            if (text is null)
            {
                errors[prefix + name] = [asText ? "duration must be minutes and seconds, such as 3:40." : $"{name} must be a number."];
            }
            else if (SongInput.TryRead(column, text, asText, out var value) is { } problem)
            {
                errors[prefix + name] = [problem.Message];
            }
            else
            {
                values[column] = value;
            }
        }

        int? decade = defaultDecade;
        if (TryGet(item, "decade", out var decadeValue) && decadeValue.ValueKind != JsonValueKind.Null)
        {
            if (decadeValue.ValueKind == JsonValueKind.Number && decadeValue.TryGetInt32(out var d))
            {
                decade = d;
            }
            else if (decadeValue.ValueKind == JsonValueKind.String && Decades.TryParse(decadeValue.GetString(), out var named))
            {
                decade = named;
            }
            else
            {
                errors[prefix + "decade"] = ["decade must be a year such as 1990."];
            }
        }

        var problems = SongInput.Validate(values, decade, imputation, out var song, out var imputed);
        foreach (var problem in problems.Where(p => !(p.Field == "duration_ms" && errors.ContainsKey(prefix + SongInput.DurationText))))
        {
            errors.TryAdd(prefix + problem.Field, [problem.Message]);
        }

        if (errors.Count == before)
        {
            songs.Add(new ParsedSong(song, imputed));
        }
    }

    private static bool TryGet(JsonElement item, string name, out JsonElement value)
    {
        foreach (var property in item.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}
