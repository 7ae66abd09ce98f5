using System.Globalization;
using ChartBuster.Songs;
using Microsoft.AspNetCore.Mvc;

namespace ChartBuster.Web.Insights;

/// <summary>What a form or a link reads as a song: the song (when valid), what was filled in, and each field's problem.</summary>
public sealed record SongReading(SongNumbers Song, int? Decade, IReadOnlyList<SongColumn> Imputed, IReadOnlyDictionary<string, string> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// The predict page's song as the form posts it and its links carry it: one property per input, bound by its field
/// name (<see cref="SongFields"/>: the contract's names, the length as m:ss under "duration", or milliseconds under
/// "duration_ms" in a link). Each holds the text as typed, so that an invalid value is shown back as it was typed
/// beside its message; <see cref="Read"/> turns them into a song by the API's relaxations and the cleaning rules
/// (<see cref="SongInput"/>), with one message per broken field.
/// </summary>
public sealed record SongFormInput
{
    /// <summary>Longer text is cut here: no input of a song needs more, and the page echoes what was typed.</summary>
    public const int MaxFieldChars = 64;

    [ModelBinder(Name = "danceability")]
    public string? Danceability { get; init; }

    [ModelBinder(Name = "energy")]
    public string? Energy { get; init; }

    [ModelBinder(Name = "valence")]
    public string? Valence { get; init; }

    [ModelBinder(Name = "acousticness")]
    public string? Acousticness { get; init; }

    [ModelBinder(Name = "instrumentalness")]
    public string? Instrumentalness { get; init; }

    [ModelBinder(Name = "speechiness")]
    public string? Speechiness { get; init; }

    [ModelBinder(Name = "liveness")]
    public string? Liveness { get; init; }

    [ModelBinder(Name = "loudness")]
    public string? Loudness { get; init; }

    [ModelBinder(Name = "tempo")]
    public string? Tempo { get; init; }

    [ModelBinder(Name = "time_signature")]
    public string? TimeSignature { get; init; }

    /// <summary>A pitch class (0 to 11, −1 unknown) or a note name ("F#", "B♭").</summary>
    [ModelBinder(Name = "key")]
    public string? Key { get; init; }

    /// <summary>1 or 0, or major or minor.</summary>
    [ModelBinder(Name = "mode")]
    public string? Mode { get; init; }

    /// <summary>The length as m:ss (the form's way).</summary>
    [ModelBinder(Name = SongInput.DurationText)]
    public string? Duration { get; init; }

    /// <summary>The length in milliseconds (a link's other way); used only when <see cref="Duration"/> is blank.</summary>
    [ModelBinder(Name = "duration_ms")]
    public string? DurationMs { get; init; }

    [ModelBinder(Name = "chorus_hit")]
    public string? ChorusHit { get; init; }

    [ModelBinder(Name = "sections")]
    public string? Sections { get; init; }

    /// <summary>A decade's first year (1990), or blank for unknown.</summary>
    [ModelBinder(Name = "decade")]
    public string? Decade { get; init; }

    /// <summary>True when any input of a song was given (a shared link), so the page should read it.</summary>
    public bool NamesASong => SongFields.All.Any(f => TextOf(f).Length > 0) || !string.IsNullOrEmpty(DurationMs);

    /// <summary>What the field shows: the text as typed (cut at <see cref="MaxFieldChars"/>), "" when blank.</summary>
    public string TextOf(SongField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var text = field.Column switch
        {
            SongColumn.Danceability => Danceability,
            SongColumn.Energy => Energy,
            SongColumn.Valence => Valence,
            SongColumn.Acousticness => Acousticness,
            SongColumn.Instrumentalness => Instrumentalness,
            SongColumn.Speechiness => Speechiness,
            SongColumn.Liveness => Liveness,
            SongColumn.Loudness => Loudness,
            SongColumn.Tempo => Tempo,
            SongColumn.TimeSignature => TimeSignature,
            SongColumn.Key => Key,
            SongColumn.Mode => Mode,
            SongColumn.DurationMs => string.IsNullOrEmpty(Duration) && MillisecondsAsText() is { } ms ? ms : Duration,
            SongColumn.ChorusHit => ChorusHit,
            SongColumn.Sections => Sections,
            _ => throw new ArgumentOutOfRangeException(nameof(field), field.Column, "Not an input of the form."),
        };
        return Cut(text);
    }

    public string DecadeText => Cut(Decade);

    /// <summary>The fields for a song known as numbers (a preset, a real song, a pasted one); <paramref name="leaveBlank"/> stay blank.</summary>
    public static SongFormInput Of(in SongNumbers song, int? decade, IEnumerable<SongColumn>? leaveBlank = null)
    {
        var blank = leaveBlank?.ToHashSet() ?? [];
        var values = song;
        string? T(SongColumn column) => blank.Contains(column) ? null : SongInput.Format(column, values[column]);
        return new SongFormInput
        {
            Danceability = T(SongColumn.Danceability), Energy = T(SongColumn.Energy), Valence = T(SongColumn.Valence),
            Acousticness = T(SongColumn.Acousticness), Instrumentalness = T(SongColumn.Instrumentalness),
            Speechiness = T(SongColumn.Speechiness), Liveness = T(SongColumn.Liveness), Loudness = T(SongColumn.Loudness),
            Tempo = T(SongColumn.Tempo), TimeSignature = T(SongColumn.TimeSignature), Key = T(SongColumn.Key), Mode = T(SongColumn.Mode),
            Duration = T(SongColumn.DurationMs), ChorusHit = T(SongColumn.ChorusHit), Sections = T(SongColumn.Sections),
            Decade = decade is { } d and not Decades.Unknown ? d.ToString(CultureInfo.InvariantCulture) : null,
        };
    }

    /// <summary>Reads the fields as a song: blanks are missing (filled in only where the imputation may), every problem under its field's name.</summary>
    public SongReading Read(StructureImputation? imputation)
    {
        var values = new Dictionary<SongColumn, double?>();
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in SongFields.All)
        {
            var text = TextOf(field).Trim();
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
        var decadeText = DecadeText.Trim();
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
            errors.TryAdd(name, problem.Field == "duration_ms" && problem.Reason == RejectReason.MissingValue ? "duration is required." : problem.Message);
        }

        return new SongReading(song, decade, imputed, errors);
    }

    /// <summary>The query string of a link that opens the page on this song.</summary>
    public string Query() =>
        string.Join("&", SongFields.All.Select(f => (f.Name, Text: TextOf(f))).Append((Name: "decade", Text: DecadeText))
            .Where(p => p.Text.Length > 0)
            .Select(p => $"{p.Name}={Uri.EscapeDataString(p.Text)}"));

    private string? MillisecondsAsText() =>
        double.TryParse(DurationMs, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) ? SongText.FormatDuration(ms) : null;

    private static string Cut(string? text) => text is null ? "" : text.Length > MaxFieldChars ? text[..MaxFieldChars] : text;
}
