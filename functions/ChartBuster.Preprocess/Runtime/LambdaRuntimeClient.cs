using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ChartBuster.Preprocess.Runtime;

/// <summary>
/// Client of the Lambda Runtime API (version 2018-06-01): next invocation, response, invocation error and
/// init error. The HttpClient's base address is http://$AWS_LAMBDA_RUNTIME_API.
/// </summary>
public sealed class LambdaRuntimeClient(HttpClient http)
{
    public const string ApiVersion = "2018-06-01";
    public const string RequestIdHeader = "Lambda-Runtime-Aws-Request-Id";
    public const string DeadlineHeader = "Lambda-Runtime-Deadline-Ms";
    public const string FunctionArnHeader = "Lambda-Runtime-Invoked-Function-Arn";
    public const string TraceIdHeader = "Lambda-Runtime-Trace-Id";
    public const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    private static readonly MediaTypeHeaderValue s_json = new("application/json");

    public static HttpClient CreateHttpClient(string runtimeApi) => new()
    {
        BaseAddress = new Uri($"http://{runtimeApi}/"),
        Timeout = Timeout.InfiniteTimeSpan, // "next" is a long poll that lasts until an event arrives
    };

    /// <summary>Blocks until the next event; throws when the response lacks the mandatory headers.</summary>
    public async Task<LambdaInvocation> NextInvocationAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(
            new Uri($"{ApiVersion}/runtime/invocation/next", UriKind.Relative), cancellationToken);
        response.EnsureSuccessStatusCode();
        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var requestId = Header(response, RequestIdHeader)
            ?? throw new InvalidDataException($"The Runtime API sent an event without {RequestIdHeader}.");
        var deadline = long.TryParse(Header(response, DeadlineHeader), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : throw new InvalidDataException($"The Runtime API sent an event without a valid {DeadlineHeader}.");
        return new LambdaInvocation(requestId, deadline, Header(response, FunctionArnHeader), Header(response, TraceIdHeader), payload);
    }

    public async Task SendResponseAsync(string requestId, byte[] payload, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(payload);
        content.Headers.ContentType = s_json;
        await PostAsync($"{ApiVersion}/runtime/invocation/{Uri.EscapeDataString(requestId)}/response", content, cancellationToken);
    }

    public Task SendInvocationErrorAsync(string requestId, LambdaError error, CancellationToken cancellationToken) =>
        PostErrorAsync($"{ApiVersion}/runtime/invocation/{Uri.EscapeDataString(requestId)}/error", error, cancellationToken);

    public Task SendInitErrorAsync(LambdaError error, CancellationToken cancellationToken) =>
        PostErrorAsync($"{ApiVersion}/runtime/init/error", error, cancellationToken);

    private async Task PostErrorAsync(string path, LambdaError error, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(error, FunctionJsonContext.Default.LambdaError));
        content.Headers.ContentType = s_json;
        content.Headers.Add(ErrorTypeHeader, error.ErrorType);
        await PostAsync(path, content, cancellationToken);
    }

    private async Task PostAsync(string path, HttpContent content, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(new Uri(path, UriKind.Relative), content, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
