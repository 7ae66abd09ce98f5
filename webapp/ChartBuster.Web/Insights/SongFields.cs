using ChartBuster.Model.Reference;
using ChartBuster.Songs;

namespace ChartBuster.Web.Insights;

/// <summary>How an input is entered on the page.</summary>
public enum FieldKind
{
    /// <summary>A number with a slider.</summary>
    Number,

    /// <summary>A note name (a list).</summary>
    Key,

    /// <summary>Major or minor (a list).</summary>
    Mode,

    /// <summary>Beats per bar (a list).</summary>
    Meter,

    /// <summary>m:ss, with a slider in seconds.</summary>
    Duration,
}

/// <summary>One input of the form: the contract column, the name it is sent under, its label and help in plain words.</summary>
public sealed record SongField(SongColumn Column, string Name, string Label, string Help, string Group, FieldKind Kind, double Step, bool Optional = false)
{
    /// <summary>The slider's range: the training songs' spread when the model has it (what a real song can be), else the rule's.</summary>
    public (double Min, double Max) SliderRange(TrainingReference? reference)
    {
        var rule = NumericRule.For(Column);
        if (reference?.Inputs.GetValueOrDefault(SongSchema.NameOf(Column)) is not { } spread)
        {
            return Kind == FieldKind.Duration ? (60, 480) : (rule.Min, Math.Min(rule.Max, rule.Min + 300));
        }

        return Column switch
        {
            _ when rule.Min == 0 && rule.Max == 1 => (0, 1),
            SongColumn.DurationMs => (Math.Floor(spread.P1 / 1000), Math.Ceiling(spread.P99 / 1000)),
            SongColumn.Loudness => (Math.Floor(spread.P1), Math.Ceiling(spread.Max)),
            SongColumn.Sections or SongColumn.ChorusHit => (0, Math.Ceiling(spread.P99)),
            _ => (Math.Floor(spread.P1), Math.Ceiling(spread.P99)),
        };
    }
}

/// <summary>The inputs of a song as the page and the API's explanations name them.</summary>
public static class SongFields
{
    public static IReadOnlyList<SongField> All { get; } =
    [
        new(SongColumn.Danceability, "danceability", "Danceability", "0 = not danceable, 1 = very danceable", "Feel", FieldKind.Number, 0.01),
        new(SongColumn.Energy, "energy", "Energy", "0 = calm, 1 = intense", "Feel", FieldKind.Number, 0.01),
        new(SongColumn.Valence, "valence", "Valence (mood)", "0 = sad or angry, 1 = happy", "Feel", FieldKind.Number, 0.01),
        new(SongColumn.Acousticness, "acousticness", "Acousticness", "how sure Spotify is the track is acoustic, 0 to 1", "Sound", FieldKind.Number, 0.001),
        new(SongColumn.Instrumentalness, "instrumentalness", "Instrumentalness", "above 0.5: probably no vocals", "Sound", FieldKind.Number, 0.001),
        new(SongColumn.Speechiness, "speechiness", "Speechiness", "spoken words; 0.33 to 0.66 is rap-like", "Sound", FieldKind.Number, 0.001),
        new(SongColumn.Liveness, "liveness", "Liveness", "above 0.8: probably a live recording", "Sound", FieldKind.Number, 0.001),
        new(SongColumn.Loudness, "loudness", "Loudness (dB)", "average loudness, usually −60 to 0 dB", "Sound", FieldKind.Number, 0.1),
        new(SongColumn.Tempo, "tempo", "Tempo (BPM)", "beats per minute; 0 if no beat", "Rhythm and harmony", FieldKind.Number, 0.1),
        new(SongColumn.TimeSignature, "time_signature", "Beats per bar", "4 for most songs", "Rhythm and harmony", FieldKind.Meter, 1),
        new(SongColumn.Key, "key", "Key", "the tonic note", "Rhythm and harmony", FieldKind.Key, 1),
        new(SongColumn.Mode, "mode", "Mode", "major or minor", "Rhythm and harmony", FieldKind.Mode, 1),
        new(SongColumn.DurationMs, SongInput.DurationText, "Length (m:ss)", "minutes and seconds, such as 3:40", "Structure", FieldKind.Duration, 1),
        new(SongColumn.ChorusHit, "chorus_hit", "Chorus starts at (s)", "seconds from the start; leave blank to estimate from the length", "Structure", FieldKind.Number, 0.1, Optional: true),
        new(SongColumn.Sections, "sections", "Sections", "verses, choruses, bridges…; leave blank to estimate from the length", "Structure", FieldKind.Number, 1, Optional: true),
    ];

    /// <summary>Beats per bar as Spotify reports them, in words.</summary>
    public static IReadOnlyList<(int Value, string Text)> Meters { get; } =
        [(3, "3 (waltz time)"), (4, "4 (common time)"), (5, "5"), (6, "6"), (7, "7"), (2, "2"), (1, "1 (no clear meter)"), (0, "none detected (0)")];

    public static SongField Of(SongColumn column) => All.First(f => f.Column == column);

    public static string LabelOf(SongColumn column) => Of(column).Label;

    /// <summary>A value in the words of its field ("F♯/G♭", "minor", "3:40", "0.62").</summary>
    public static string Display(SongColumn column, double value) => column switch
    {
        SongColumn.Key => SongText.KeyName(value),
        SongColumn.Mode => SongText.ModeName(value),
        SongColumn.DurationMs => SongText.FormatDuration(Math.Round(value / 1000) * 1000),
        SongColumn.TimeSignature or SongColumn.Sections => value.ToString("0", System.Globalization.CultureInfo.InvariantCulture),
        SongColumn.Tempo or SongColumn.ChorusHit or SongColumn.Loudness => value.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture),
    };
}
