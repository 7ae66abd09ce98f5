namespace ChartBuster.Model;

/// <summary>
/// Quality of probabilities against labels, computed here (not by ML.NET) so that candidates, folds and
/// the current-versus-new gate are all measured by one definition.
/// </summary>
public sealed record BinaryMetrics(
    int Rows,
    double Auc,
    double PrAuc,
    double Accuracy,
    double Precision,
    double Recall,
    double F1,
    double LogLoss,
    double Brier,
    double Threshold,
    ConfusionMatrix Confusion)
{
    public static BinaryMetrics Compute(IReadOnlyList<bool> labels, IReadOnlyList<double> probabilities, double threshold = HitThreshold.Probability)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (labels.Count != probabilities.Count || labels.Count == 0)
        {
            throw new ArgumentException("Needs as many probabilities as labels, and at least one.");
        }

        long tp = 0, fp = 0, tn = 0, fn = 0;
        double logLoss = 0, brier = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var p = probabilities[i];
            var y = labels[i] ? 1.0 : 0.0;
            var clipped = Math.Clamp(p, 1e-15, 1 - 1e-15);
            logLoss -= (y * Math.Log(clipped)) + ((1 - y) * Math.Log(1 - clipped));
            brier += (p - y) * (p - y);
            var predicted = p >= threshold;
            (tp, fp, tn, fn) = (predicted, labels[i]) switch
            {
                (true, true) => (tp + 1, fp, tn, fn),
                (true, false) => (tp, fp + 1, tn, fn),
                (false, false) => (tp, fp, tn + 1, fn),
                _ => (tp, fp, tn, fn + 1),
            };
        }

        var n = labels.Count;
        var precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
        var recall = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
        return new BinaryMetrics(
            n,
            AreaUnderRoc(labels, probabilities),
            AveragePrecision(labels, probabilities),
            (double)(tp + tn) / n,
            precision,
            recall,
            precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall),
            logLoss / n,
            brier / n,
            threshold,
            new ConfusionMatrix(tp, fp, tn, fn));
    }

    /// <summary>Area under the ROC curve: the chance that a random hit scores above a random non-hit (ties count half).</summary>
    public static double AreaUnderRoc(IReadOnlyList<bool> labels, IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        // Sorted by key (not LINQ's OrderBy): importance computes one AUC per input. Ties are ranked as a group, so
        // their order within the sort does not matter.
        var keys = scores.ToArray();
        var order = Enumerable.Range(0, keys.Length).ToArray();
        Array.Sort(keys, order);
        double rankSumPositives = 0;
        long positives = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && keys[end + 1] == keys[start])
            {
                end++;
            }

            var averageRank = ((start + end) / 2.0) + 1;
            for (var k = start; k <= end; k++)
            {
                if (labels[order[k]])
                {
                    rankSumPositives += averageRank;
                    positives++;
                }
            }

            start = end + 1;
        }

        var negatives = order.Length - positives;
        return positives == 0 || negatives == 0
            ? double.NaN
            : (rankSumPositives - (positives * (positives + 1) / 2.0)) / (positives * (double)negatives);
    }

    /// <summary>Area under the precision-recall curve, as average precision.</summary>
    public static double AveragePrecision(IReadOnlyList<bool> labels, IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var positives = labels.Count(l => l);
        if (positives == 0)
        {
            return double.NaN;
        }

        double sum = 0;
        var truePositives = 0;
        for (var k = 0; k < order.Length; k++)
        {
            if (labels[order[k]])
            {
                truePositives++;
                sum += (double)truePositives / (k + 1);
            }
        }

        return sum / positives;
    }
}

public sealed record ConfusionMatrix(long TruePositives, long FalsePositives, long TrueNegatives, long FalseNegatives);

/// <summary>Curves for the model page: ROC points and calibration bins.</summary>
public static class Curves
{
    public sealed record RocPoint(double FalsePositiveRate, double TruePositiveRate, double Threshold);

    public sealed record CalibrationBin(double From, double To, int Count, double MeanPredicted, double ObservedRate);

    /// <summary>The ROC curve, thinned to at most <paramref name="maxPoints"/> points (ends kept).</summary>
    public static IReadOnlyList<RocPoint> Roc(IReadOnlyList<bool> labels, IReadOnlyList<double> scores, int maxPoints = 101)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var positives = labels.Count(l => l);
        var negatives = labels.Count - positives;
        var points = new List<RocPoint> { new(0, 0, 1) };
        int tp = 0, fp = 0;
        for (var k = 0; k < order.Length; k++)
        {
            if (labels[order[k]])
            {
                tp++;
            }
            else
            {
                fp++;
            }

            if (k + 1 == order.Length || scores[order[k + 1]] != scores[order[k]])
            {
                points.Add(new RocPoint(negatives == 0 ? 0 : (double)fp / negatives, positives == 0 ? 0 : (double)tp / positives, scores[order[k]]));
            }
        }

        if (points.Count <= maxPoints)
        {
            return points;
        }

        var step = (points.Count - 1) / (double)(maxPoints - 1);
        return [.. Enumerable.Range(0, maxPoints).Select(i => points[(int)Math.Round(i * step)])];
    }

    /// <summary>Ten equal-width probability bins: how often songs predicted at p actually charted.</summary>
    public static IReadOnlyList<CalibrationBin> Calibration(IReadOnlyList<bool> labels, IReadOnlyList<double> probabilities, int bins = 10)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(probabilities);
        var result = new List<CalibrationBin>(bins);
        for (var b = 0; b < bins; b++)
        {
            var from = (double)b / bins;
            var to = (double)(b + 1) / bins;
            var members = Enumerable.Range(0, labels.Count)
                .Where(i => probabilities[i] >= from && (probabilities[i] < to || (b == bins - 1 && probabilities[i] <= to)))
                .ToList();
            result.Add(new CalibrationBin(from, to, members.Count,
                members.Count == 0 ? 0 : members.Average(i => probabilities[i]),
                members.Count == 0 ? 0 : members.Average(i => labels[i] ? 1.0 : 0.0)));
        }

        return result;
    }
}
