using System.Text.Json;
using ChartBuster.Songs.Telemetry;

namespace ChartBuster.Songs.Tests;

public class EmbeddedMetricsTests
{
    private static readonly DateTimeOffset s_at = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Writes_one_directive_with_the_service_first_then_the_dimensions_the_values_and_the_properties()
    {
        var line = EmbeddedMetrics.Line("preprocess", s_at, [KeyValuePair.Create("outcome", "prepared")],
            [new EmfMetric("chartbuster.preprocess.datasets", "Count", 1), new EmfMetric("chartbuster.preprocess.duration", "Milliseconds", [12.5, 40])],
            [KeyValuePair.Create("traceId", "0af7651916cd43dd8448eb211c80319c")]);

        var root = JsonDocument.Parse(line).RootElement;
        var aws = root.GetProperty("_aws");
        Assert.Equal(s_at.ToUnixTimeMilliseconds(), aws.GetProperty("Timestamp").GetInt64());
        var directive = Assert.Single(aws.GetProperty("CloudWatchMetrics").EnumerateArray());
        Assert.Equal("ChartBuster", directive.GetProperty("Namespace").GetString());
        Assert.Equal(["Service", "outcome"], Assert.Single(directive.GetProperty("Dimensions").EnumerateArray()).EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(["Count", "Milliseconds"], directive.GetProperty("Metrics").EnumerateArray().Select(m => m.GetProperty("Unit").GetString()));
        Assert.Equal(("preprocess", "prepared", 1), (root.GetProperty("Service").GetString(), root.GetProperty("outcome").GetString(), root.GetProperty("chartbuster.preprocess.datasets").GetInt32()));
        Assert.Equal([12.5, 40], root.GetProperty("chartbuster.preprocess.duration").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", root.GetProperty("traceId").GetString());
        Assert.DoesNotContain('\n', line);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Refuses_a_value_cloudwatch_would_drop(double value) =>
        Assert.Throws<ArgumentException>(() => EmbeddedMetrics.Line("web", s_at, [], [new EmfMetric("m", "Count", value)]));

    [Fact]
    public void Refuses_more_values_than_cloudwatch_keeps_per_line() =>
        Assert.Throws<ArgumentException>(() => EmbeddedMetrics.Line("web", s_at, [], [new EmfMetric("m", "Seconds", Enumerable.Repeat(1.0, 101).ToList())]));

    [Fact]
    public void A_new_trace_parent_is_w3c_and_gives_back_its_trace_id()
    {
        var parent = TraceParents.New();

        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$", parent);
        Assert.Equal(parent[3..35], TraceParents.TraceIdOf(parent));
        Assert.NotEqual(parent, TraceParents.New());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a traceparent")]
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01")]
    public void What_is_not_a_traceparent_has_no_trace_id(string? value) => Assert.Null(TraceParents.TraceIdOf(value));
}
