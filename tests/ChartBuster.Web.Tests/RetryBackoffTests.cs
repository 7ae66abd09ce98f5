using ChartBuster.Web.Following;

namespace ChartBuster.Web.Tests;

public sealed class RetryBackoffTests
{
    [Fact]
    public void Doubles_from_the_first_wait_up_to_the_ceiling_each_wait_jittered_within_its_upper_half()
    {
        var backoff = new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new Random(7));

        var waits = Enumerable.Range(0, 8).Select(_ => backoff.Next().TotalSeconds).ToList();

        double[] steps = [1, 2, 4, 8, 16, 30, 30, 30];
        Assert.All(waits.Zip(steps), w => Assert.InRange(w.First, w.Second / 2, w.Second));
        Assert.Equal(8, backoff.Failures);
    }

    [Fact]
    public void Tasks_that_failed_together_do_not_retry_together()
    {
        var waits = Enumerable.Range(0, 20)
            .Select(seed => new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new Random(seed)))
            .Select(b => Enumerable.Range(0, 4).Select(_ => b.Next()).Last())
            .ToList();

        Assert.True(waits.Distinct().Count() > 15);
    }

    [Fact]
    public void Starts_over_after_a_success()
    {
        var backoff = new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new Random(1));
        for (var i = 0; i < 5; i++)
        {
            backoff.Next();
        }

        backoff.Reset();

        Assert.InRange(backoff.Next().TotalSeconds, 0.5, 1);
    }
}
