using ChartBuster.Model.Reference;
using ChartBuster.Songs;

namespace ChartBuster.Model.Serving;

/// <summary>The probability at one value of an input, every other input held where the song has it.</summary>
public readonly record struct CurvePoint(double Value, double Probability);

/// <summary>How this song's probability changes across one input's range.</summary>
public sealed record InputCurve(SongColumn Column, IReadOnlyList<CurvePoint> Points);

/// <summary>The same song scored as if it came out in another decade.</summary>
public readonly record struct DecadeScore(int Decade, double Probability);

/// <summary>The what-if view of one song: a curve per input and the decade time machine.</summary>
public sealed record WhatIfView(double Probability, IReadOnlyList<InputCurve> Curves, IReadOnlyList<DecadeScore> Decades, int Predictions);

/// <summary>
/// Scores a song across each input's range and across the decades, all in one batch. Continuous inputs run over
/// <see cref="PointsPerCurve"/> even steps from the 1st to the 99th percentile of the training songs (plus the
/// song's own value, so the curve passes through it); key, mode and time signature over the values the training
/// songs had. A point that would put the chorus after the end of the song is left out.
/// </summary>
public static class WhatIfCurves
{
    public const int PointsPerCurve = 21;

    public static WhatIfView Compute(ServingModel model, in SongNumbers song, TrainingReference reference)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(reference);
        var own = song; // lambdas cannot capture an in parameter
        var grids = SongFeatures.RawColumns.Select(c => (Column: c, Values: Grid(c, own, reference))).ToList();
        var decades = reference.Decades.Select(d => d.Decade).Where(d => d != Decades.Unknown).ToList();
        var inputs = new List<SongModelInput> { SongModelInput.FromSong(song) };
        foreach (var (column, values) in grids)
        {
            foreach (var value in values)
            {
                var changed = song;
                changed[column] = value;
                inputs.Add(SongModelInput.FromSong(changed));
            }
        }

        foreach (var decade in decades)
        {
            var moved = song;
            moved[SongColumn.Decade] = decade;
            inputs.Add(SongModelInput.FromSong(moved));
        }

        var scores = model.PredictMany(inputs);
        var next = 1;
        var curves = grids.Select(g => new InputCurve(g.Column, [.. g.Values.Select(v => new CurvePoint(v, scores[next++]))])).ToList();
        var byDecade = decades.Select(d => new DecadeScore(d, scores[next++])).ToList();
        return new WhatIfView(scores[0], curves, byDecade, scores.Length);
    }

    /// <summary>The values an input's curve is drawn at, ascending, the song's own value included.</summary>
    public static IReadOnlyList<double> Grid(SongColumn column, in SongNumbers song, TrainingReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var name = SongSchema.NameOf(column);
        var rule = NumericRule.For(column);
        var own = song[column];
        IEnumerable<double> values;
        if (!reference.Inputs.TryGetValue(name, out var spread))
        {
            values = [own];
        }
        else if (spread.Values is { } distinct)
        {
            values = distinct.Append(own);
        }
        else
        {
            var step = (spread.P99 - spread.P1) / (PointsPerCurve - 1);
            values = Enumerable.Range(0, PointsPerCurve).Select(i => spread.P1 + (i * step)).Append(own);
        }

        var seconds = song[SongColumn.DurationMs] / 1000;
        var chorus = song[SongColumn.ChorusHit];
        return [.. values
            .Select(v => rule.WholeNumber ? Math.Round(v) : Math.Round(v, 6))
            .Where(v => rule.Check(v) is null)
            .Where(v => column switch
            {
                SongColumn.ChorusHit => v <= seconds,
                SongColumn.DurationMs => chorus <= v / 1000,
                _ => true,
            })
            .Distinct()
            .Order()];
    }
}
