using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ChartBuster.Preprocess.Tests;

/// <summary>
/// A Lambda Runtime API on a free loopback port, over real HTTP, for running the published bootstrap
/// as Lambda would: it hands out queued events and records what the function posts back.
/// </summary>
internal sealed class LoopbackRuntimeApi : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(string RequestId, byte[] Payload)> _events = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackRuntimeApi()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public BlockingCollection<(string Path, string Body)> Posts { get; } = [];

    public void Enqueue(string requestId, byte[] payload) => _events.Enqueue((requestId, payload));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        _listener.Close();
        _stop.Dispose();
        Posts.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        if (context.Request.HttpMethod == "GET" && path.EndsWith("/invocation/next", StringComparison.Ordinal))
        {
            // Long poll, as Lambda does: answer when an event is queued.
            (string RequestId, byte[] Payload) next;
            while (!_events.TryDequeue(out next))
            {
                await Task.Delay(50);
                if (_stop.IsCancellationRequested)
                {
                    return;
                }
            }

            context.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = next.RequestId;
            context.Response.Headers["Lambda-Runtime-Deadline-Ms"] =
                DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:us-east-1:123456789012:function:preprocess";
            await context.Response.OutputStream.WriteAsync(next.Payload);
            context.Response.Close();
            return;
        }

        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        Posts.Add((path, await reader.ReadToEndAsync()));
        context.Response.StatusCode = 202;
        context.Response.Close();
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
