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

/// <summary>
/// One input of the form: its description in the schema (label, help, step, range: <see cref="SongSchema.Inputs"/>),
/// and how the page lays it out: its group, how it is entered, whether it may be left blank.
/// </summary>
public sealed record SongField(SongInputDescription Input, string Group, FieldKind Kind, bool Optional = false)
{
    public SongColumn Column => Input.Column;

    /// <summary>The name it is sent under: the contract's, but for the length, entered as m:ss under "duration".</summary>
    public string Name => Kind == FieldKind.Duration ? SongInput.DurationText : Input.Name;

    public string Label => Input.Label;

    public string Help => Input.Help;

    /// <summary>The step of its input and slider, in the unit the form shows (seconds for the length).</summary>
    public double Step => Kind == FieldKind.Duration ? Input.Step / 1000 : Input.Step;

    /// <summary>The range a value must be in: the cleaning rule's.</summary>
    public NumericRule Rule => Input.Rule;

    /// <summary>The slider's range: the training songs' spread when the model has it (what a real song can be), else the rule's.</summary>
    public (double Min, double Max) SliderRange(TrainingReference? reference)
    {
        var rule = Rule;
        if (reference?.Inputs.GetValueOrDefault(Input.Name) is not { } spread)
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

/// <summary>The inputs of a song as the page lays them out, in the schema's order.</summary>
public static class SongFields
{
    private static readonly Dictionary<SongColumn, (string Group, FieldKind Kind)> s_layout = new()
    {
        [SongColumn.Danceability] = ("Feel", FieldKind.Number),
        [SongColumn.Energy] = ("Feel", FieldKind.Number),
        [SongColumn.Valence] = ("Feel", FieldKind.Number),
        [SongColumn.Acousticness] = ("Sound", FieldKind.Number),
        [SongColumn.Instrumentalness] = ("Sound", FieldKind.Number),
        [SongColumn.Speechiness] = ("Sound", FieldKind.Number),
        [SongColumn.Liveness] = ("Sound", FieldKind.Number),
        [SongColumn.Loudness] = ("Sound", FieldKind.Number),
        [SongColumn.Tempo] = ("Rhythm and harmony", FieldKind.Number),
        [SongColumn.TimeSignature] = ("Rhythm and harmony", FieldKind.Meter),
        [SongColumn.Key] = ("Rhythm and harmony", FieldKind.Key),
        [SongColumn.Mode] = ("Rhythm and harmony", FieldKind.Mode),
        [SongColumn.DurationMs] = ("Structure", FieldKind.Duration),
        [SongColumn.ChorusHit] = ("Structure", FieldKind.Number),
        [SongColumn.Sections] = ("Structure", FieldKind.Number),
    };

    /// <summary>Every input of <see cref="SongSchema.Inputs"/>; chorus_hit and sections may be left blank (the model estimates them).</summary>
    public static IReadOnlyList<SongField> All { get; } =
        [.. SongSchema.Inputs.Select(i => new SongField(i, s_layout[i.Column].Group, s_layout[i.Column].Kind, Optional: StructureImputation.Imputable.Contains(i.Column)))];

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
