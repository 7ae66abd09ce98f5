using System.Collections.Frozen;

namespace ChartBuster.Songs;

/// <summary>Column names of the data contract and the rule each numeric column obeys.</summary>
public static partial class SongSchema
{
    public const int ColumnCount = (int)SongColumn.Decade + 1;

    private static readonly string[] s_names =
    [
        "track", "artist", "uri", "danceability", "energy", "key", "loudness", "mode",
        "speechiness", "acousticness", "instrumentalness", "liveness", "valence", "tempo",
        "duration_ms", "time_signature", "chorus_hit", "sections", "target", "decade",
    ];

    private static readonly FrozenDictionary<string, SongColumn> s_byName =
        s_names.Select((name, i) => (name, column: (SongColumn)i))
            .ToFrozenDictionary(p => p.name, p => p.column, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Value rules, from what each Spotify audio feature means (not from what one file happens to hold).
    /// </summary>
    public static readonly IReadOnlyList<NumericRule> NumericRules =
    [
        // Confidence-style features are defined on [0, 1].
        NumericRule.Unit(SongColumn.Danceability),
        NumericRule.Unit(SongColumn.Energy),
        // Pitch class 0..11; Spotify reports -1 when no key was detected.
        new(SongColumn.Key, -1, 11, WholeNumber: true),
        // Average loudness in dBFS. Spotify clamps at -60; masters can exceed 0 a little (max 3.7 in the data).
        new(SongColumn.Loudness, -60, 10),
        new(SongColumn.Mode, 0, 1, WholeNumber: true),
        NumericRule.Unit(SongColumn.Speechiness),
        NumericRule.Unit(SongColumn.Acousticness),
        NumericRule.Unit(SongColumn.Instrumentalness),
        NumericRule.Unit(SongColumn.Liveness),
        NumericRule.Unit(SongColumn.Valence),
        // Beats per minute; 0 is Spotify's code for "no beat detected". Above 300 BPM is not music tempo.
        new(SongColumn.Tempo, 0, 300),
        // A track lasts at least a millisecond and (in any catalogue) less than six hours.
        new(SongColumn.DurationMs, 1, 6 * 3_600_000, WholeNumber: true),
        // Beats per bar, 3..7 in Spotify's model; 0 (and rarely 1) when no meter was detected.
        new(SongColumn.TimeSignature, 0, 7, WholeNumber: true),
        // Seconds from the start to the chorus; also checked against the duration.
        new(SongColumn.ChorusHit, 0, 6 * 3_600),
        // Number of sections Spotify's segmentation found; 0 occurs for very short or odd tracks.
        new(SongColumn.Sections, 0, 10_000, WholeNumber: true),
        new(SongColumn.Target, 0, 1, WholeNumber: true),
    ];

    /// <summary>
    /// Columns a file must have. Training data needs every contract column but <c>decade</c>; scoring input
    /// (a raw file or a ready.csv) needs only the audio features the model reads.
    /// </summary>
    public static IEnumerable<SongColumn> RequiredColumns(bool requireTarget) =>
        requireTarget
            ? Enum.GetValues<SongColumn>().Where(c => c != SongColumn.Decade)
            : SongFeatures.RawColumns;

    public static string NameOf(SongColumn column) => s_names[(int)column];

    public static bool TryGetColumn(string header, out SongColumn column) =>
        s_byName.TryGetValue(header.Trim(), out column);
}

/// <summary>An inclusive range rule for one numeric column.</summary>
public sealed record NumericRule(SongColumn Column, double Min, double Max, bool WholeNumber = false)
{
    public static NumericRule Unit(SongColumn column) => new(column, 0, 1);

    public static NumericRule For(SongColumn column) =>
        SongSchema.NumericRules.FirstOrDefault(r => r.Column == column)
        ?? throw new ArgumentOutOfRangeException(nameof(column), column, "Not a numeric column.");

    /// <summary>Why a parsed value breaks this rule, or null when it is legal. CSV cleaning and the web API both use it.</summary>
    public RejectReason? Check(double value) =>
        !double.IsFinite(value) ? RejectReason.NotANumber
        : value < Min || value > Max ? RejectReason.OutOfRange
        : WholeNumber && value != Math.Floor(value) ? RejectReason.NotAnInteger
        : null;
}
