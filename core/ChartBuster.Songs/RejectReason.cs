namespace ChartBuster.Songs;

/// <summary>Why a row did not make it into the cleaned data. Codes are stable: reports and scripts use them.</summary>
public enum RejectReason
{
    MissingValue,
    NotANumber,
    OutOfRange,
    NotAnInteger,
    InvalidDecade,
    ChorusAfterEnd,
    WrongFieldCount,
    MalformedQuotes,
    Duplicate,
    ConflictingTarget,
}

public static class RejectReasons
{
    public static string Code(this RejectReason reason) => reason switch
    {
        RejectReason.MissingValue => "missing_value",
        RejectReason.NotANumber => "not_a_number",
        RejectReason.OutOfRange => "out_of_range",
        RejectReason.NotAnInteger => "not_an_integer",
        RejectReason.InvalidDecade => "invalid_decade",
        RejectReason.ChorusAfterEnd => "chorus_after_end",
        RejectReason.WrongFieldCount => "wrong_field_count",
        RejectReason.MalformedQuotes => "malformed_quotes",
        RejectReason.Duplicate => "duplicate",
        RejectReason.ConflictingTarget => "conflicting_target",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    /// <summary>Whether the reason is a bad value (counted against the rejected-share limit) rather than a duplicate.</summary>
    public static bool IsInvalidValue(this RejectReason reason) =>
        reason is not (RejectReason.Duplicate or RejectReason.ConflictingTarget);
}

/// <summary>The first problem found in a row: which column (null for row-level problems) and why.</summary>
public readonly record struct Rejection(SongColumn? Column, RejectReason Reason);
