namespace ChartBuster.Model.Tests;

public class BinaryMetricsTests
{
    [Fact]
    public void Auc_is_the_share_of_hit_and_non_hit_pairs_ranked_right_with_ties_counting_half()
    {
        bool[] labels = [true, true, false, false, true];
        double[] scores = [0.9, 0.4, 0.4, 0.1, 0.7];

        // Pairs (hit, non-hit): 6; ranked right: (0.9 > 0.4, 0.1), (0.7 > 0.4, 0.1), (0.4 > 0.1) = 5, tie (0.4, 0.4) = 0.5.
        Assert.Equal(5.5 / 6, BinaryMetrics.AreaUnderRoc(labels, scores), 12);
    }

    [Fact]
    public void Perfect_and_reversed_rankings_give_one_and_zero()
    {
        bool[] labels = [false, false, true, true];

        Assert.Equal(1, BinaryMetrics.AreaUnderRoc(labels, [0.1, 0.2, 0.8, 0.9]));
        Assert.Equal(0, BinaryMetrics.AreaUnderRoc(labels, [0.9, 0.8, 0.2, 0.1]));
    }

    [Fact]
    public void Computes_log_loss_brier_and_the_confusion_matrix_at_the_threshold()
    {
        bool[] labels = [true, false, true, false];
        double[] p = [0.8, 0.3, 0.4, 0.6];

        var m = BinaryMetrics.Compute(labels, p);

        Assert.Equal(-(Math.Log(0.8) + Math.Log(0.7) + Math.Log(0.4) + Math.Log(0.4)) / 4, m.LogLoss, 12);
        Assert.Equal((0.04 + 0.09 + 0.36 + 0.36) / 4, m.Brier, 12);
        Assert.Equal(new ConfusionMatrix(TruePositives: 1, FalsePositives: 1, TrueNegatives: 1, FalseNegatives: 1), m.Confusion);
        Assert.Equal(0.5, m.Accuracy);
        Assert.Equal(0.5, m.F1);
    }

    [Fact]
    public void Average_precision_of_a_perfect_ranking_is_one()
    {
        Assert.Equal(1, BinaryMetrics.AveragePrecision([true, false, true, false], [0.9, 0.2, 0.8, 0.1]));
        Assert.Equal((1.0 / 2 + 2.0 / 3) / 2, BinaryMetrics.AveragePrecision([false, true, true], [0.9, 0.8, 0.7]), 12);
    }

    [Fact]
    public void Roc_runs_from_the_origin_to_one_one_and_is_thinned()
    {
        var random = new Random(1);
        var labels = Enumerable.Range(0, 5000).Select(i => i % 2 == 0).ToList();
        var scores = labels.Select(l => random.NextDouble() + (l ? 0.3 : 0)).ToList();

        var roc = Curves.Roc(labels, scores, maxPoints: 51);

        Assert.Equal(51, roc.Count);
        Assert.Equal((0.0, 0.0), (roc[0].FalsePositiveRate, roc[0].TruePositiveRate));
        Assert.Equal((1.0, 1.0), (roc[^1].FalsePositiveRate, roc[^1].TruePositiveRate));
        Assert.True(roc.Zip(roc.Skip(1)).All(p => p.Second.FalsePositiveRate >= p.First.FalsePositiveRate));
    }

    [Fact]
    public void Calibration_bins_report_how_often_predictions_came_true()
    {
        bool[] labels = [true, false, true, true];
        double[] p = [0.05, 0.05, 0.95, 1.0];

        var bins = Curves.Calibration(labels, p);

        Assert.Equal(10, bins.Count);
        Assert.Equal((2, 0.05, 0.5), (bins[0].Count, bins[0].MeanPredicted, bins[0].ObservedRate));
        Assert.Equal((2, 1.0), (bins[9].Count, bins[9].ObservedRate));
    }
}
