using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ChartBuster.Web;

/// <summary>
/// Per-client limits (section "RateLimit"): requests and songs on the API, requests on the pages, uploads on /Batch,
/// and how many uploads one task scores at once. The defaults keep one client to about a tenth of what one web task
/// serves (0.5 vCPU); README "Rate limits" shows the measurement they come from.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>API requests per second per client.</summary>
    public int PermitsPerSecond { get; set; } = 100;

    public int Burst { get; set; } = 200;

    /// <summary>
    /// Songs per second per client through the API (a request of 10,000 songs costs as much as 10,000 requests of one;
    /// an explained song 500, a curves request 300): about a tenth of what a task scores with the default (ensemble) model.
    /// </summary>
    public int SongsPerSecond { get; set; } = 300;

    /// <summary>At least the largest request (RequestLimits:MaxSongsPerRequest), or such a request could never pass.</summary>
    public int SongBurst { get; set; } = 10_000;

    /// <summary>
    /// Page requests (predict form, model page, batch form) per second per client, with a burst for a person's clicks:
    /// a predict page is answered with its explanation and curves (about 800 songs' work, like the live what-if).
    /// </summary>
    public int PagePermitsPerSecond { get; set; } = 1;

    public int PageBurst { get; set; } = 30;

    /// <summary>File uploads to /Batch per minute per client.</summary>
    public int BatchPermitsPerMinute { get; set; } = 6;

    public int BatchBurst { get; set; } = 3;

    /// <summary>Uploads one task scores at the same time, whoever sends them (each holds up to ~10 MB while it is scored).</summary>
    public int BatchConcurrency { get; set; } = 2;
}

/// <summary>
/// Who a client is and how much it may ask. Behind the load balancer every connection comes from the balancer, so
/// the client's address is the last entry of X-Forwarded-For (the one the balancer appended), taken only when the
/// connection comes from a configured proxy network (ForwardedHeaders:KnownNetworks; the CDK app sets the VPC's
/// range). Entries a client writes itself are never trusted.
/// </summary>
public static class RateLimiting
{
    public const string Api = "api";
    public const string Pages = "pages";
    public const string Batch = "batch";

    public static IServiceCollection AddChartBusterRateLimits(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration("RateLimit");
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = 1;
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
            foreach (var network in config.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [])
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                    ? parsed
                    : throw new OptionsValidationException("ForwardedHeaders", typeof(ForwardedHeadersOptions),
                        [$"ForwardedHeaders:KnownNetworks has '{network}', which is not a network such as 10.0.0.0/16."]));
            }
        });
        services.AddSingleton<SongBudget>();
        // The limits come from the options through the container, not looked up per request.
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, options) =>
        {
            var settings = options.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds(context.Lease);
                return ValueTask.CompletedTask;
            };
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => IsUpload(http.Request)
                ? RateLimitPartition.GetConcurrencyLimiter("uploads", _ => new ConcurrencyLimiterOptions { PermitLimit = settings.BatchConcurrency, QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter(""));
            limiter.AddPolicy(Api, http => PerClient(http, "api", settings.PermitsPerSecond, settings.Burst, TimeSpan.FromSeconds(1)));
            limiter.AddPolicy(Pages, http => IsUpload(http.Request)
                ? PerClient(http, "upload", settings.BatchPermitsPerMinute, settings.BatchBurst, TimeSpan.FromMinutes(1))
                : PerClient(http, "page", settings.PagePermitsPerSecond, settings.PageBurst, TimeSpan.FromSeconds(1)));
        });
        return services;
    }

    /// <summary>The client's address for limits: IPv4 as it is, IPv6 by its /64 (one subscriber's usual allocation).</summary>
    public static string ClientKey(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    public static string RetryAfterSeconds(RateLimitLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        return Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
    }

    private static bool IsUpload(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments("/Batch", StringComparison.OrdinalIgnoreCase);

    private static RateLimitPartition<string> PerClient(HttpContext http, string kind, int permits, int burst, TimeSpan period) =>
        RateLimitPartition.GetTokenBucketLimiter($"{kind} {ClientKey(http)}", _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, burst),
            TokensPerPeriod = Math.Max(1, permits),
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
}

/// <summary>
/// The API's second budget, in songs: one request of 10,000 songs costs what 10,000 requests of one do, so the
/// request limit alone would let one client keep a task busy with a few large arrays.
/// </summary>
public sealed class SongBudget(IOptions<RateLimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _buckets = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, options.Value.SongBurst),
            TokensPerPeriod = Math.Max(1, options.Value.SongsPerSecond / 10),
            ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>Takes <paramref name="songs"/> from the client's budget; null when granted, else the Retry-After seconds.</summary>
    public string? TryTake(HttpContext context, int songs)
    {
        using var lease = _buckets.AttemptAcquire(RateLimiting.ClientKey(context), Math.Clamp(songs, 1, Math.Max(1, options.Value.SongBurst)));
        return lease.IsAcquired ? null : RateLimiting.RetryAfterSeconds(lease);
    }

    public void Dispose() => _buckets.Dispose();
}
