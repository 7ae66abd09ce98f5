using ChartBuster.Songs;

namespace ChartBuster.Web.Insights;

/// <summary>What a form or a link reads as a song: the song (when valid), what was filled in, and each field's problem.</summary>
public sealed record SongReading(SongNumbers Song, int? Decade, IReadOnlyList<SongColumn> Imputed, IReadOnlyDictionary<string, string> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// A song as the page's form and its links carry it: text under each field's name (<see cref="SongFields"/>), the
/// length as m:ss under "duration" (or milliseconds under "duration_ms" in a link), and "decade". Read with the same
/// relaxations and rules as the API (<see cref="SongInput"/>).
/// </summary>
public sealed class SongForm
{
    private SongForm(Dictionary<string, string> texts) => Texts = texts;

    /// <summary>What each field shows, by field name (what was typed, kept even when it is invalid).</summary>
    public IReadOnlyDictionary<string, string> Texts { get; }

    public string this[string name] => Texts.GetValueOrDefault(name, "");

    public static IEnumerable<string> Names => SongFields.All.Select(f => f.Name).Append("decade");

    /// <summary>The song's fields from named text (a posted form or a query string).</summary>
    public static SongForm From(Func<string, string?> get)
    {
        ArgumentNullException.ThrowIfNull(get);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in Names)
        {
            if (get(name) is { } text)
            {
                texts[name] = text.Length > 64 ? text[..64] : text;
            }
        }

        if (!texts.ContainsKey(SongInput.DurationText) && get("duration_ms") is { } ms && double.TryParse(ms, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            texts[SongInput.DurationText] = SongText.FormatDuration(value);
        }

        return new SongForm(texts);
    }

    /// <summary>True when the source names any input of a song (a shared link), so the page should read it.</summary>
    public static bool IsIn(Func<string, string?> get)
    {
        ArgumentNullException.ThrowIfNull(get);
        return SongFields.All.Any(f => !string.IsNullOrEmpty(get(f.Name))) || !string.IsNullOrEmpty(get("duration_ms"));
    }

    /// <summary>The fields for a song known as numbers (a preset, a real song, a pasted one).</summary>
    public static SongForm Of(in SongNumbers song, int? decade, IEnumerable<SongColumn>? leaveBlank = null)
    {
        var blank = leaveBlank?.ToHashSet() ?? [];
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in SongFields.All)
        {
            texts[field.Name] = blank.Contains(field.Column) ? "" : SongInput.Format(field.Column, song[field.Column]);
        }

        texts["decade"] = decade is { } d and not Decades.Unknown ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
        return new SongForm(texts);
    }

    /// <summary>Reads the fields as a song: blanks are missing (filled in only where the imputation may), every problem by field.</summary>
    public SongReading Read(StructureImputation? imputation)
    {
        var values = new Dictionary<SongColumn, double?>();
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in SongFields.All)
        {
            var text = this[field.Name].Trim();
            if (text.Length == 0)
            {
                continue;
            }

            if (SongInput.TryRead(field.Column, text, field.Kind == FieldKind.Duration, out var value) is { } problem)
            {
                errors[field.Name] = problem.Message;
                continue;
            }

            values[field.Column] = value;
        }

        int? decade = null;
        var decadeText = this["decade"].Trim();
        if (decadeText.Length > 0)
        {
            if (Decades.TryParse(decadeText, out var d))
            {
                decade = d;
            }
            else
            {
                errors["decade"] = $"decade must be a decade's first year from {Decades.Earliest} to {Decades.Latest}, such as 1990.";
            }
        }

        var problems = SongInput.Validate(values, decade, imputation, out var song, out var imputed);
        foreach (var problem in problems)
        {
            var name = problem.Field == "duration_ms" ? SongInput.DurationText : problem.Field;
            if (!errors.ContainsKey(name))
            {
                errors[name] = problem.Field == "duration_ms" && problem.Reason == RejectReason.MissingValue ? "duration is required." : problem.Message;
            }
        }

        return new SongReading(song, decade, imputed, errors);
    }

    /// <summary>The query string of a link that opens the page on this song.</summary>
    public string Query() =>
        string.Join("&", Names.Where(n => Texts.TryGetValue(n, out var t) && t.Length > 0)
            .Select(n => $"{n}={Uri.EscapeDataString(Texts[n])}"));
}
