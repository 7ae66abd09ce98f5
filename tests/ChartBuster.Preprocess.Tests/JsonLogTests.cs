using System.Text.Json;

namespace ChartBuster.Preprocess.Tests;

public class JsonLogTests
{
    [Fact]
    public void Writes_one_json_object_per_line_with_typed_fields_and_the_request_id()
    {
        using var output = new StringWriter();
        var log = new JsonLog(output, TimeProvider.System);

        using (log.BeginRequest("req-42"))
        {
            log.Info("dataset ready", ("bucket", "raw"), ("rowsKept", 5064L), ("share", 0.25), ("ok", true), ("error", null));
        }

        log.Error("boom", new InvalidOperationException("multi\nline"));

        var lines = output.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        Assert.Equal(("info", "dataset ready", "req-42"), (root.GetProperty("level").GetString(), root.GetProperty("message").GetString(), root.GetProperty("requestId").GetString()));
        Assert.Equal(5064, root.GetProperty("rowsKept").GetInt64());
        Assert.True(root.GetProperty("ok").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
        using var second = JsonDocument.Parse(lines[1]);
        Assert.False(second.RootElement.TryGetProperty("requestId", out _));
        Assert.Contains("multi\nline", second.RootElement.GetProperty("exception").GetString(), StringComparison.Ordinal);
    }
}
