using System.Globalization;
using System.Text;

namespace ChartBuster.Soak;

/// <summary>The soak's summary in Markdown, for the README: what happened when, every answer, memory, every upload.</summary>
internal static class Report
{
    public static string Write(
        int minutes,
        int rate,
        int clients,
        List<(TimeSpan At, string What)> events,
        Load load,
        TimeSpan firstModelAt,
        List<(TimeSpan At, long WebMb, long WorkerMb)> rss,
        int workerStarts,
        Dictionary<Upload, string> outcomes,
        int followerRetries)
    {
        var text = new StringBuilder();
        var answers = load.Answers.ToList();
        int Count(Func<(int Second, string Kind, string Outcome), bool> which) => answers.Where(a => which(a.Key)).Sum(a => a.Value);
        var fiveHundreds = Count(a => a.Outcome.StartsWith('5') && a.Outcome != "503");
        // 503 is right only while no model is loaded: none may follow the first prediction answered.
        var firstAnswer = answers.Where(a => a.Key.Kind.StartsWith("api", StringComparison.Ordinal) && a.Key.Outcome == "200").Select(a => a.Key.Second).DefaultIfEmpty(int.MaxValue).Min();
        var unavailableAfter = Count(a => a.Outcome == "503" && a.Second > firstAnswer);
        var errors = Count(a => !char.IsDigit(a.Outcome[0]));
        var lost = outcomes.Values.Count(o => o == Ledger.InFlight);
        var ok = fiveHundreds == 0 && unavailableAfter == 0 && errors == 0 && lost == 0;
        var latencies = load.LatenciesMs.Order().ToArray();
        double Percentile(double p) => latencies.Length == 0 ? 0 : latencies[(int)Math.Min(latencies.Length - 1, p * latencies.Length)];

        text.AppendLine(CultureInfo.InvariantCulture, $"Soak {DateTime.UtcNow:yyyy-MM-dd}: {minutes} min of load at {rate} API requests/s from {clients} clients (one in 20 an array of 100 songs) plus a 300-row file on /Batch every 15 s; machine: {Environment.ProcessorCount} cores, load average (1, 5, 15 min) when the report was written {LoadAverage()} (run.sh prints the one before the run). Result: {(ok ? "**passed**" : "**FAILED**")}.");
        text.AppendLine();
        text.AppendLine("| t | event |");
        text.AppendLine("|---:|---|");
        foreach (var (at, what) in events)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {at:mm\\:ss} | {what} |");
        }

        text.AppendLine();
        text.AppendLine("| requests | answer | count |");
        text.AppendLine("|---|---|---:|");
        foreach (var group in answers.GroupBy(a => (a.Key.Kind, a.Key.Outcome)).OrderBy(g => g.Key.Kind).ThenBy(g => g.Key.Outcome))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {group.Key.Kind} | {group.Key.Outcome} | {group.Sum(g => g.Value):N0} |");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- 5xx other than 503: **{fiveHundreds}**; 503 after the first prediction was answered (t={TimeSpan.FromSeconds(firstAnswer):mm\\:ss}): **{unavailableAfter}**; connection errors or timeouts: **{errors}**; uploads not accounted for: **{lost}**.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- API latency: p50 {Percentile(0.5):F1} ms, p99 {Percentile(0.99):F1} ms, max {Percentile(1):F0} ms over {latencies.Length:N0} answers.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- The worker was started {workerStarts} times (killed once; replaced whenever it exited, as ECS would, e.g. when SQS was gone); the web app's follower logged {followerRetries} failed checks, each retried with backoff, while it kept serving.");
        var afterWarmUp = rss.Where(r => r.At > firstModelAt + TimeSpan.FromSeconds(30) && r.WebMb > 0).ToList();
        text.AppendLine(CultureInfo.InvariantCulture, $"- Web app RSS (MB) every 30 s: {string.Join(", ", rss.Where((_, i) => i % 6 == 0).Select(r => r.WebMb))}; after warm-up min {afterWarmUp.DefaultIfEmpty().Min(r => r.WebMb)}, max {afterWarmUp.DefaultIfEmpty().Max(r => r.WebMb)}, last {rss.LastOrDefault().WebMb}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Worker RSS (MB) every 30 s (0: between workers): {string.Join(", ", rss.Where((_, i) => i % 6 == 0).Select(r => r.WorkerMb))}.");
        text.AppendLine();
        text.AppendLine("| upload | where it ended |");
        text.AppendLine("|---|---|");
        foreach (var (upload, outcome) in outcomes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {upload.What} | {outcome} |");
        }

        return text.ToString();
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
