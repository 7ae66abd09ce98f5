using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChartBuster.Testing;

/// <summary>What a <see cref="FaultyProxy"/> does to a request it matches instead of forwarding it faithfully.</summary>
public enum FaultKind
{
    /// <summary>Answers 503 SlowDown, as S3 does under load.</summary>
    ServiceUnavailable,

    /// <summary>Never answers (until the client gives up or the proxy stops): a timeout.</summary>
    Hang,

    /// <summary>Forwards, then replaces one response header (<see cref="Fault.Header"/>) with a broken value.</summary>
    BrokenHeader,
}

/// <summary>
/// One injected fault: requests whose method and path match get <see cref="Kind"/> for the next
/// <see cref="Times"/> matches, then pass through untouched.
/// </summary>
public sealed record Fault(string Method, string PathContains, FaultKind Kind, int Times = int.MaxValue)
{
    public string Header { get; init; } = "Last-Modified";

    public string HeaderValue { get; init; } = "not a date";

    internal int Remaining = Times;

    internal bool Take(HttpRequest request) =>
        string.Equals(request.Method, Method, StringComparison.OrdinalIgnoreCase)
        && (request.Path.Value ?? "").Contains(PathContains, StringComparison.Ordinal)
        && Interlocked.Decrement(ref Remaining) >= 0;
}

/// <summary>
/// A reverse proxy on a free loopback port in front of the S3/SQS emulator, for fault tests: the real AWS SDK
/// talks to it as to S3, and it forwards every request unless an injected <see cref="Fault"/> matches.
/// Records what it saw, so a test can tell that the fault happened.
/// </summary>
public sealed class FaultyProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _forward;
    private readonly ConcurrentQueue<Fault> _faults = new();
    private readonly CancellationTokenSource _stopping = new();
    private CancellationTokenSource _healing = new();

    private FaultyProxy(WebApplication app, HttpClient forward)
    {
        _app = app;
        _forward = forward;
    }

    public Uri Endpoint { get; private set; } = new("http://127.0.0.1");

    /// <summary>Every request as "METHOD /path -> status" (status "fault:Kind" when a fault answered).</summary>
    public ConcurrentQueue<string> Log { get; } = new();

    /// <summary>The environment a process needs to reach S3 and SQS through this proxy (as EmulatorFixture.Environment).</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["AWS_ENDPOINT_URL"] = Endpoint.ToString(),
        ["AWS_REGION"] = "us-east-1",
        ["AWS_ACCESS_KEY_ID"] = "test",
        ["AWS_SECRET_ACCESS_KEY"] = "test",
    };

    public static async Task<FaultyProxy> StartAsync(Uri target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        var forward = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, UseCookies = false })
        {
            BaseAddress = target,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var proxy = new FaultyProxy(builder.Build(), forward);
        proxy._app.Run(proxy.HandleAsync);
        await proxy._app.StartAsync();
        var address = proxy._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy.Endpoint = new Uri(address);
        return proxy;
    }

    public void Inject(Fault fault) => _faults.Enqueue(fault);

    /// <summary>Removes every fault: from now on requests pass through; requests hanging now are cut off.</summary>
    public void Heal()
    {
        _faults.Clear();
        // Not disposed: a request starting to hang right now may still link to it.
        Interlocked.Exchange(ref _healing, new CancellationTokenSource()).Cancel();
    }

    public int Count(string contains) => Log.Count(l => l.Contains(contains, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _forward.Dispose();
        _stopping.Dispose();
        _healing.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var line = $"{request.Method} {request.Path}{request.QueryString}";
        var fault = _faults.FirstOrDefault(f => f.Take(request));
        switch (fault?.Kind)
        {
            case FaultKind.ServiceUnavailable:
                Log.Enqueue($"{line} -> fault:{fault.Kind}");
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.ContentType = "application/xml";
                await context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>");
                return;
            case FaultKind.Hang:
                Log.Enqueue($"{line} -> fault:{fault.Kind}");
                using (var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token, _healing.Token))
                {
                    await Task.Delay(Timeout.Infinite, linked.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                }

                context.Abort();
                return;
            default:
                await ForwardAsync(context, line, fault);
                return;
        }
    }

    private async Task ForwardAsync(HttpContext context, string line, Fault? fault)
    {
        var request = context.Request;
        using var outgoing = new HttpRequestMessage(new HttpMethod(request.Method), $"{request.Path}{request.QueryString}");
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            outgoing.Content = new StreamContent(request.Body);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!outgoing.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                outgoing.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        using var response = await _forward.SendAsync(outgoing, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        if (fault?.Kind == FaultKind.BrokenHeader)
        {
            context.Response.Headers[fault.Header] = fault.HeaderValue;
        }

        Log.Enqueue($"{line} -> {(int)response.StatusCode}{(fault is null ? "" : $" fault:{fault.Kind}")}");
        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
