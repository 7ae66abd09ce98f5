using ChartBuster.Training.Promotion;

namespace ChartBuster.Training.Tests;

public class QualityGateTests
{
    private readonly QualityGate _gate = new(new GateOptions { MinimumAuc = 0.8, Tolerance = 0.005 });

    [Theory]
    [InlineData(0.85, null, true)]
    [InlineData(0.79, null, false)]
    [InlineData(0.89, 0.88, true)]
    [InlineData(0.876, 0.88, true)]
    [InlineData(0.874, 0.88, false)]
    [InlineData(0.95, 0.99, false)]
    [InlineData(double.NaN, null, false)]
    public void Promotes_only_a_good_enough_model_that_is_not_worse_than_the_serving_one(double newAuc, double? currentAuc, bool promote)
    {
        var decision = _gate.Decide(newAuc, currentAuc);

        Assert.Equal(promote, decision.Promote);
        Assert.False(string.IsNullOrWhiteSpace(decision.Reason));
    }

    [Fact]
    public void Says_why_a_model_was_rejected()
    {
        Assert.Contains("worse than the serving model's 0.9000", _gate.Decide(0.85, 0.90).Reason, StringComparison.Ordinal);
        Assert.Contains("below the minimum 0.8000", _gate.Decide(0.6, null).Reason, StringComparison.Ordinal);
    }
}
