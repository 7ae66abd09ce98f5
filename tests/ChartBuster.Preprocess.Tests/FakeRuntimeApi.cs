using System.Net;
using System.Text;

namespace ChartBuster.Preprocess.Tests;

/// <summary>
/// The Lambda Runtime API at the HTTP seam: hands out queued events on GET .../invocation/next and
/// records every POST (path, headers, body) the client makes.
/// </summary>
internal sealed class FakeRuntimeApi : HttpMessageHandler
{
    private readonly Queue<HttpResponseMessage> _events = new();

    public List<(string Path, Dictionary<string, string> Headers, string Body)> Posts { get; } = [];

    public HttpClient Client() => new(this) { BaseAddress = new Uri("http://127.0.0.1:9001/") };

    public void Enqueue(string requestId, string payload, DateTimeOffset deadline, string? trace = "Root=1-abc")
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        response.Headers.Add("Lambda-Runtime-Aws-Request-Id", requestId);
        response.Headers.Add("Lambda-Runtime-Deadline-Ms", deadline.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        response.Headers.Add("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:preprocess");
        if (trace is not null)
        {
            response.Headers.Add("Lambda-Runtime-Trace-Id", trace);
        }

        _events.Enqueue(response);
    }

    public void EnqueueRaw(HttpResponseMessage response) => _events.Enqueue(response);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (request.Method == HttpMethod.Get && path == "/2018-06-01/runtime/invocation/next")
        {
            return _events.Count > 0 ? _events.Dequeue() : throw new InvalidOperationException("No event queued.");
        }

        if (request.Method == HttpMethod.Post)
        {
            var headers = request.Content!.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value));
            Posts.Add((path, headers, await request.Content.ReadAsStringAsync(cancellationToken)));
            return new HttpResponseMessage(HttpStatusCode.Accepted);
        }

        return new HttpResponseMessage(HttpStatusCode.NotFound);
    }
}
