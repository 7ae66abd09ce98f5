namespace ChartBuster.Model;

/// <summary>
/// Where a probability becomes a call: at or above it a song is called a hit. The one definition that the API, the
/// pages, the scored files, the model's PredictedLabel column and the quality metrics all use. Probabilities are
/// calibrated and the training classes near balanced, so the middle is the decision point.
/// </summary>
public static class HitThreshold
{
    public const double Probability = 0.5;

    public static bool IsHit(double probability) => probability >= Probability;
}
