using System.Diagnostics;

namespace ChartBuster.Songs.Telemetry;

/// <summary>
/// The trace of one upload, as a W3C traceparent ("00-{trace id}-{span id}-01"). The function starts it and writes it
/// into the dataset's journey records; the worker continues it (its training activity's parent) and writes it into its
/// own records and the model card, so one trace id names the upload from the raw object to the promoted model.
/// </summary>
public static class TraceParents
{
    /// <summary>A new trace (the function has no OpenTelemetry SDK: ids made by the runtime's own generator).</summary>
    public static string New() => $"00-{ActivityTraceId.CreateRandom().ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01";

    /// <summary>The trace id of a traceparent, or null when it is not one.</summary>
    public static string? TraceIdOf(string? traceParent) =>
        ActivityContext.TryParse(traceParent, null, out var context) ? context.TraceId.ToHexString() : null;
}
