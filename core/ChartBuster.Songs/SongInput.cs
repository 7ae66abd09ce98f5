using System.Globalization;

namespace ChartBuster.Songs;

/// <summary>
/// One song typed by a person or sent by a program (a web form, a link, the JSON API), read with the same
/// relaxations everywhere: the key as a note name, the mode as major or minor, the length as m:ss, and
/// <c>chorus_hit</c> and <c>sections</c> left out (filled in by the model's <see cref="StructureImputation"/>,
/// and reported as filled in). Whatever the spelling, the numbers are then checked by <see cref="SongValidation"/>,
/// the rules of cleaning.
/// </summary>
public static class SongInput
{
    /// <summary>The name under which a length is given as m:ss (the contract's <c>duration_ms</c> stays milliseconds).</summary>
    public const string DurationText = "duration";

    /// <summary>
    /// Reads one input given as text. Numbers everywhere; for <c>key</c> also a note name, for <c>mode</c> also
    /// major/minor; for <c>duration_ms</c> given under <see cref="DurationText"/>, m:ss.
    /// </summary>
    public static FieldProblem? TryRead(SongColumn column, string text, bool asDurationText, out double value)
    {
        ArgumentNullException.ThrowIfNull(text);
        var name = asDurationText ? DurationText : SongSchema.NameOf(column);
        var ok = column switch
        {
            SongColumn.Key => SongText.TryParseKey(text, out value),
            SongColumn.Mode => SongText.TryParseMode(text, out value),
            SongColumn.DurationMs when asDurationText => SongText.TryParseDuration(text, out value),
            _ => double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value),
        };
        if (ok && double.IsFinite(value))
        {
            return null;
        }

        value = double.NaN;
        return new FieldProblem(name, RejectReason.NotANumber, column switch
        {
            SongColumn.Key => "key must be a note name such as C, F♯ or B♭ (or 0 to 11, −1 for unknown).",
            SongColumn.Mode => "mode must be major or minor (or 1 or 0).",
            SongColumn.DurationMs when asDurationText => "duration must be minutes and seconds, such as 3:40.",
            _ => $"{name} must be a number.",
        });
    }

    /// <summary>
    /// Fills in what the imputation may (when one is given), then validates by the cleaning rules.
    /// <paramref name="imputed"/> lists the inputs that were filled in, never silently.
    /// </summary>
    public static IReadOnlyList<FieldProblem> Validate(
        Dictionary<SongColumn, double?> values, int? decade, StructureImputation? imputation, out SongNumbers song, out IReadOnlyList<SongColumn> imputed)
    {
        ArgumentNullException.ThrowIfNull(values);
        imputed = imputation?.Fill(values) ?? [];
        return SongValidation.Validate(values, decade, out song);
    }

    /// <summary>A value as the form shows it: the shortest text that reads back as the same number.</summary>
    public static string Format(SongColumn column, double value) => column switch
    {
        SongColumn.DurationMs => SongText.FormatDuration(value),
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
