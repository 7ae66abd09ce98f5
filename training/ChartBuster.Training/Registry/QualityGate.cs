using System.Globalization;

namespace ChartBuster.Training.Registry;

/// <summary>When a new model may replace the serving one.</summary>
public sealed record GateOptions
{
    /// <summary>Below this validation AUC a model never serves (a coin flip is 0.5; the real data gives ~0.89).</summary>
    public double MinimumAuc { get; set; } = 0.80;

    /// <summary>How much worse than the serving model, on the same validation songs, a new model may be.</summary>
    public double Tolerance { get; set; } = 0.005;

    /// <summary>
    /// How much higher a model may score on a song-grouped split than on new artists before it is taken to
    /// recognise artists rather than judge songs (<see cref="Model.GroupingGap"/>).
    /// </summary>
    public double MaximumArtistGap { get; set; } = Model.GroupingGap.SuspiciousAucGap;
}

/// <param name="FailedRule">The rule a rejected model broke, in words; null when it is promoted.</param>
public sealed record GateDecision(bool Promote, string Reason, string? FailedRule = null);

/// <summary>Promotes a model only if it is good enough on its own and not worse than the serving one.</summary>
public sealed class QualityGate(GateOptions options)
{
    public GateOptions Options => options;

    /// <param name="newAuc">The new model's AUC on its validation songs.</param>
    /// <param name="currentAuc">The serving model's AUC on the same songs, or null when nothing serves yet.</param>
    /// <param name="artistGap">The new model's song-grouped minus artist-grouped AUC, when measured.</param>
    public GateDecision Decide(double newAuc, double? currentAuc, double? artistGap = null)
    {
        if (double.IsNaN(newAuc) || newAuc < options.MinimumAuc)
        {
            return new GateDecision(false, $"validation AUC {F(newAuc)} is below the minimum {F(options.MinimumAuc)}", $"minimum validation AUC {F(options.MinimumAuc)}");
        }

        if (artistGap is { } gap && !(gap <= options.MaximumArtistGap))
        {
            return new GateDecision(false,
                $"it scores {F(gap)} AUC higher on songs whose artists it has seen than on new artists (maximum {F(options.MaximumArtistGap)}): it recognises artists");
        }

        if (currentAuc is { } current && newAuc < current - options.Tolerance)
        {
            return new GateDecision(false,
                $"validation AUC {F(newAuc)} is worse than the serving model's {F(current)} on the same songs (tolerance {F(options.Tolerance)})",
                $"no worse than the serving model on the same songs (tolerance {F(options.Tolerance)})");
        }

        return new GateDecision(true, currentAuc is { } c
            ? $"validation AUC {F(newAuc)} against the serving model's {F(c)} on the same songs"
            : $"first model: validation AUC {F(newAuc)}");
    }

    private static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
}
