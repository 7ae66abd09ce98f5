namespace ChartBuster.Songs;

/// <summary>One broken field of a song given by name (a web form or a JSON request).</summary>
public sealed record FieldProblem(string Field, RejectReason Reason, string Message);

/// <summary>
/// Validates one song given as named values (not a CSV row) by the same rules as cleaning, and builds its
/// numbers. Every broken field is reported, not only the first, so a form can mark them all.
/// </summary>
public static class SongValidation
{
    /// <param name="values">Values by contract column; a missing or null entry is a missing value.</param>
    public static IReadOnlyList<FieldProblem> Validate(IReadOnlyDictionary<SongColumn, double?> values, int? decade, out SongNumbers song)
    {
        ArgumentNullException.ThrowIfNull(values);
        song = default;
        var problems = new List<FieldProblem>();
        foreach (var column in SongFeatures.RawColumns)
        {
            var name = SongSchema.NameOf(column);
            var rule = NumericRule.For(column);
            if (!values.TryGetValue(column, out var value) || value is null)
            {
                problems.Add(new FieldProblem(name, RejectReason.MissingValue, $"{name} is required."));
                continue;
            }

            if (rule.Check(value.Value) is { } reason)
            {
                problems.Add(new FieldProblem(name, reason, reason switch
                {
                    RejectReason.NotAnInteger => $"{name} must be a whole number from {rule.Min} to {rule.Max}.",
                    RejectReason.NotANumber => $"{name} must be a number.",
                    _ => $"{name} must be from {rule.Min} to {rule.Max}.",
                }));
                continue;
            }

            song[column] = value.Value;
        }

        if (problems.Count == 0 && song[SongColumn.ChorusHit] > song[SongColumn.DurationMs] / 1000)
        {
            problems.Add(new FieldProblem("chorus_hit", RejectReason.ChorusAfterEnd, "chorus_hit must be within the song (at most duration_ms / 1000 seconds)."));
        }

        if (decade is { } d && !Decades.IsValid(d))
        {
            problems.Add(new FieldProblem("decade", RejectReason.InvalidDecade, $"decade must be a decade's first year from {Decades.Earliest} to {Decades.Latest}, such as 1990."));
        }

        song[SongColumn.Decade] = decade ?? Decades.Unknown;
        song[SongColumn.Target] = double.NaN;
        return problems;
    }
}
