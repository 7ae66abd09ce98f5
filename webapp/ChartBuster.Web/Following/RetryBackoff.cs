namespace ChartBuster.Web.Following;

/// <summary>
/// Waits between retries of something that failed for a reason that may pass: doubling from a first wait up to a
/// ceiling, each wait drawn between half and all of its step ("equal jitter"), so that many tasks that failed
/// together do not retry together.
/// </summary>
public sealed class RetryBackoff(TimeSpan first, TimeSpan ceiling, Random random)
{
    private int _failures;

    public int Failures => _failures;

    public TimeSpan Next()
    {
        var step = Math.Min(ceiling.TotalSeconds, first.TotalSeconds * Math.Pow(2, Math.Min(_failures, 30)));
        _failures++;
        return TimeSpan.FromSeconds((step / 2) + (random.NextDouble() * step / 2));
    }

    public void Reset() => _failures = 0;
}
