using System.Text;
using System.Text.Json;

namespace ChartBuster.Preprocess;

/// <summary>
/// Structured logs: one JSON object per line on the writer (stdout in Lambda, which CloudWatch keeps as
/// one event each). Written by hand with Utf8JsonWriter: no reflection, so it is safe under Native AOT.
/// </summary>
public sealed class JsonLog(TextWriter output, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly AsyncLocal<string?> _requestId = new();

    public IDisposable BeginRequest(string requestId)
    {
        _requestId.Value = requestId;
        return new RequestScope(this);
    }

    public void Info(string message, params (string Key, object? Value)[] fields) => Write("info", message, null, fields);

    public void Warn(string message, params (string Key, object? Value)[] fields) => Write("warn", message, null, fields);

    public void Error(string message, Exception? exception, params (string Key, object? Value)[] fields) =>
        Write("error", message, exception, fields);

    private void Write(string level, string message, Exception? exception, (string Key, object? Value)[] fields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("time", time.GetUtcNow());
            json.WriteString("level", level);
            json.WriteString("message", message);
            if (_requestId.Value is { } requestId)
            {
                json.WriteString("requestId", requestId);
            }

            foreach (var (key, value) in fields)
            {
                WriteValue(json, key, value);
            }

            if (exception is not null)
            {
                json.WriteString("exception", exception.ToString());
            }

            json.WriteEndObject();
        }

        WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    /// <summary>A line that is already JSON (an embedded-metric-format line), between the log's own lines.</summary>
    public void WriteLine(string json)
    {
        lock (_gate)
        {
            output.WriteLine(json);
            output.Flush();
        }
    }

    private static void WriteValue(Utf8JsonWriter json, string key, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNull(key);
                break;
            case bool b:
                json.WriteBoolean(key, b);
                break;
            case int i:
                json.WriteNumber(key, i);
                break;
            case long l:
                json.WriteNumber(key, l);
                break;
            case double d when double.IsFinite(d):
                json.WriteNumber(key, d);
                break;
            default:
                json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }

    private sealed class RequestScope(JsonLog log) : IDisposable
    {
        public void Dispose() => log._requestId.Value = null;
    }
}
