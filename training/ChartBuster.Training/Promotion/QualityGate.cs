using System.Globalization;

namespace ChartBuster.Training.Promotion;

/// <summary>When a new model may replace the serving one.</summary>
public sealed record GateOptions
{
    /// <summary>
    /// Below this validation AUC a model never serves. A coin flip is 0.5; on songs by artists it has not seen, the
    /// full profile scores 0.887 on the pooled real data, and a model of one decade between 0.75 and 0.94 depending
    /// on which prolific artists land in its validation fifth (the 1970s file: 0.75, with CV 0.86), so the floor
    /// refuses models that learned nothing, not honest ones measured on a hard sample.
    /// </summary>
    public double MinimumAuc { get; set; } = 0.70;

    /// <summary>How much worse than the serving model, on the same validation songs, a new model may be.</summary>
    public double Tolerance { get; set; } = 0.005;
}

/// <param name="FailedRule">The rule a rejected model broke, in words; null when it is promoted.</param>
/// <param name="Code">The decision's reason as a short fixed code (a metric's tag): one of <see cref="GateCodes"/>.</param>
public sealed record GateDecision(bool Promote, string Reason, string? FailedRule = null, string Code = GateCodes.FirstModel);

/// <summary>Why the gate decided as it did, in a few fixed words (unlike <see cref="GateDecision.Reason"/>, which holds the figures).</summary>
public static class GateCodes
{
    public const string FirstModel = "first_model";
    public const string NotWorse = "not_worse_than_serving";
    public const string BelowMinimum = "below_minimum_auc";
    public const string Worse = "worse_than_serving";
}

/// <summary>Promotes a model only if it is good enough on its own and not worse than the serving one.</summary>
public sealed class QualityGate(GateOptions options)
{
    public GateOptions Options => options;

    /// <param name="newAuc">The new model's AUC on its validation songs.</param>
    /// <param name="currentAuc">The serving model's AUC on the same songs, or null when nothing serves yet.</param>
    public GateDecision Decide(double newAuc, double? currentAuc)
    {
        if (double.IsNaN(newAuc) || newAuc < options.MinimumAuc)
        {
            return new GateDecision(false, $"validation AUC {F(newAuc)} is below the minimum {F(options.MinimumAuc)}", $"minimum validation AUC {F(options.MinimumAuc)}", GateCodes.BelowMinimum);
        }

        if (currentAuc is { } current && newAuc < current - options.Tolerance)
        {
            return new GateDecision(false,
                $"validation AUC {F(newAuc)} is worse than the serving model's {F(current)} on the same songs (tolerance {F(options.Tolerance)})",
                $"no worse than the serving model on the same songs (tolerance {F(options.Tolerance)})", GateCodes.Worse);
        }

        return currentAuc is { } c
            ? new GateDecision(true, $"validation AUC {F(newAuc)} against the serving model's {F(c)} on the same songs", Code: GateCodes.NotWorse)
            : new GateDecision(true, $"first model: validation AUC {F(newAuc)}", Code: GateCodes.FirstModel);
    }

    private static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
}
