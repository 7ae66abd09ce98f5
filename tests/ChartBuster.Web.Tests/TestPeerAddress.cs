using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace ChartBuster.Web.Tests;

/// <summary>
/// Sets the connection's remote address from the test-only header X-Test-Peer, ahead of the app's own middleware:
/// the in-memory test server has no sockets, and rate limits and forwarded headers depend on who connected.
/// </summary>
internal sealed class TestPeerAddress : IStartupFilter
{
    public const string Header = "X-Test-Peer";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var peer))
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
            }

            await nextMiddleware(context);
        });
        next(app);
    };
}
