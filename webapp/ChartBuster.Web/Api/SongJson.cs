using System.Text.Json;
using ChartBuster.Model;
using ChartBuster.Songs;

namespace ChartBuster.Web.Api;

/// <summary>
/// Reads songs from the API's JSON (the data contract's raw names: danceability, energy, …, duration_ms,
/// time_signature, chorus_hit, sections, and optionally decade) and validates them by the cleaning rules.
/// Every broken field is reported under its name ("energy", or "[2].energy" inside an array).
/// </summary>
public static class SongJson
{
    public sealed record Parsed(IReadOnlyList<SongModelInput> Songs, bool IsArray, Dictionary<string, string[]> Errors);

    public static Parsed Read(JsonElement body)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var songs = new List<SongModelInput>();
        switch (body.ValueKind)
        {
            case JsonValueKind.Object:
                ReadSong(body, "", songs, errors);
                return new Parsed(songs, false, errors);
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in body.EnumerateArray())
                {
                    ReadSong(item, $"[{index++}].", songs, errors);
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

    private static void ReadSong(JsonElement item, string prefix, List<SongModelInput> songs, Dictionary<string, string[]> errors)
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
            if (!TryGet(item, name, out var property) || property.ValueKind == JsonValueKind.Null)
            {
                continue; // reported as missing by the shared validation
            }

            if (property.ValueKind != JsonValueKind.Number)
            {
                errors[prefix + name] = [$"{name} must be a number."];
                continue;
            }

            values[column] = property.GetDouble();
        }

        int? decade = null;
        if (TryGet(item, "decade", out var decadeValue) && decadeValue.ValueKind != JsonValueKind.Null)
        {
            if (decadeValue.ValueKind == JsonValueKind.Number && decadeValue.TryGetInt32(out var d))
            {
                decade = d;
            }
            else
            {
                errors[prefix + "decade"] = ["decade must be a year such as 1990."];
            }
        }

        var problems = SongValidation.Validate(values, decade, out var song);
        foreach (var problem in problems)
        {
            errors.TryAdd(prefix + problem.Field, [problem.Message]);
        }

        if (errors.Count == before)
        {
            songs.Add(SongModelInput.FromSong(song));
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
