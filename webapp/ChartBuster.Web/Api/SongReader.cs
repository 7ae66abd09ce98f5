using System.Text.Json;
using ChartBuster.Songs;

namespace ChartBuster.Web.Api;

/// <summary>
/// One song object of the API's JSON, read in one pass over its properties whatever their number (the first of a
/// repeated name wins), with the relaxations of <see cref="SongInput"/>; its problems, one per field, go to the
/// request's error list.
/// </summary>
internal sealed class SongReader(StructureImputation? imputation, int? defaultDecade)
{
    private static readonly SongColumn[] s_textAllowed = [SongColumn.Key, SongColumn.Mode];

    public void Read(JsonElement item, string prefix, List<ParsedSong> songs, SongJson.Errors errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(prefix.TrimEnd('.'), "Each song must be a JSON object.");
            return;
        }

        var values = new Dictionary<SongColumn, double?>();
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        int? decade = defaultDecade;
        var decadeSeen = false;
        JsonElement? durationText = null;
        foreach (var property in item.EnumerateObject())
        {
            var name = property.Name;
            if (name.Equals("decade", StringComparison.OrdinalIgnoreCase))
            {
                decade = decadeSeen ? decade : ReadDecade(property.Value, problems) ?? defaultDecade;
                decadeSeen = true;
            }
            else if (name.Equals(SongInput.DurationText, StringComparison.OrdinalIgnoreCase))
            {
                durationText ??= property.Value;
            }
            else if (RawColumn(name) is { } column && !values.ContainsKey(column))
            {
                values[column] = ReadValue(column, property.Value, asDurationText: false, problems);
            }
        }

        // The length as m:ss counts only when duration_ms is not given.
        if (values.GetValueOrDefault(SongColumn.DurationMs) is null && durationText is { ValueKind: not JsonValueKind.Null } text)
        {
            values[SongColumn.DurationMs] = ReadValue(SongColumn.DurationMs, text, asDurationText: true, problems);
        }

        // A field that is not a number is reported as such; left out, validation would also call it missing.
        foreach (var column in values.Where(v => v.Value is double.NaN).Select(v => v.Key).ToList())
        {
            values.Remove(column);
        }

        var validation = SongInput.Validate(values, decade, imputation, out var song, out var imputed);
        foreach (var problem in validation.Where(p => !(p.Field == "duration_ms" && problems.ContainsKey(SongInput.DurationText))))
        {
            problems.TryAdd(problem.Field, problem.Message);
        }

        if (problems.Count == 0)
        {
            songs.Add(new ParsedSong(song, imputed));
            return;
        }

        foreach (var (field, message) in problems)
        {
            errors.Add(prefix + field, message);
        }
    }

    private static SongColumn? RawColumn(string name)
    {
        foreach (var column in SongFeatures.RawColumns)
        {
            if (name.Equals(SongSchema.NameOf(column), StringComparison.OrdinalIgnoreCase))
            {
                return column;
            }
        }

        return null;
    }

    /// <summary>
    /// A finite number (or, where the relaxations allow, text that reads as one); null when absent (null); NaN after
    /// reporting anything else: other text (numbers as strings too), or a number beyond a double's range (1e400),
    /// which JSON can write but no song has.
    /// </summary>
    private static double? ReadValue(SongColumn column, JsonElement value, bool asDurationText, Dictionary<string, string> problems)
    {
        var name = asDurationText ? SongInput.DurationText : SongSchema.NameOf(column);
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Number when !asDurationText:
                if (value.TryGetDouble(out var number) && double.IsFinite(number))
                {
                    return number;
                }

                problems.TryAdd(name, $"{name} must be a finite number.");
                return double.NaN;
            case JsonValueKind.String when asDurationText || s_textAllowed.Contains(column):
                if (SongInput.TryRead(column, value.GetString()!, asDurationText, out var read) is { } problem)
                {
                    problems.TryAdd(name, problem.Message);
                    return double.NaN;
                }

                return read;
            default:
                problems.TryAdd(name, asDurationText ? "duration must be minutes and seconds, such as 3:40." : $"{name} must be a number.");
                return double.NaN;
        }
    }

    private static int? ReadDecade(JsonElement value, Dictionary<string, string> problems)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Number when value.TryGetInt32(out var decade):
                return decade;
            case JsonValueKind.String when Decades.TryParse(value.GetString(), out var named):
                return named;
            default:
                problems.TryAdd("decade", "decade must be a year such as 1990.");
                return null;
        }
    }
}
