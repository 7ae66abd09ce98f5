using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ChartBuster.Training.Tests;

/// <summary>The ECS agent's task-protection endpoint on loopback HTTP: records each PUT body and answers a chosen status.</summary>
public sealed class FakeEcsAgent : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public FakeEcsAgent(HttpStatusCode status = HttpStatusCode.OK)
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Uri = new Uri($"http://127.0.0.1:{port}/v4/task-id/");
        _listener.Prefixes.Add(Uri.AbsoluteUri);
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var reader = new StreamReader(context.Request.InputStream);
                Requests.Enqueue($"{context.Request.HttpMethod} {context.Request.Url!.AbsolutePath} {await reader.ReadToEndAsync()}");
                context.Response.StatusCode = (int)status;
                context.Response.Close();
            }
        });
    }

    public Uri Uri { get; }

    public ConcurrentQueue<string> Requests { get; } = new();

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
