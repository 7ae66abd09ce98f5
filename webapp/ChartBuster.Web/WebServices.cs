using System.Globalization;
using Amazon.S3;
using ChartBuster.Aws;
using ChartBuster.Model.Registry;
using ChartBuster.Model.Serving;
using ChartBuster.Web.Api;
using ChartBuster.Web.Datasets;
using ChartBuster.Web.Following;
using ChartBuster.Web.Security;
using ChartBuster.Web.Telemetry;
using Microsoft.Extensions.Options;
using ChartBuster.Songs.Pipeline;

namespace ChartBuster.Web;

public static class WebServices
{
    public const long MaxRequestBytes = 4 << 20;

    public static WebApplicationBuilder AddChartBusterWeb(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var config = builder.Configuration;
        if (string.IsNullOrEmpty(config["urls"]) && string.IsNullOrEmpty(config["ASPNETCORE_URLS"]) && string.IsNullOrEmpty(config["ASPNETCORE_HTTP_PORTS"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:8080");
        }

        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBytes);
        builder.Services.AddOptions<ModelSourceOptions>()
            .Configure(o =>
            {
                o.ArtifactsBucket = config[PipelineVariables.ArtifactsBucket];
                o.ModelPath = config[PipelineVariables.ModelPath];
            })
            .BindConfiguration("ModelSource")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<RequestLimitOptions>().BindConfiguration("RequestLimits").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CurrentModel>();
        builder.Services.AddAwsClients(config, o => AwsCallPolicy.PredictionSite(o));
        // Resolved on first use: a site serving a local model file (no bucket, maybe no AWS region) never builds a client.
        builder.Services.AddSingleton(sp => new Lazy<IAmazonS3>(sp.GetRequiredService<IAmazonS3>));
        builder.Services.AddSingleton(ModelSource);
        builder.Services.AddSingleton<ModelFollower>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ModelFollower>());
        builder.AddDatasetJourneys();
        // Pages are UTF-8: note names (F♯, B♭) and the like are written as they are, not as character references.
        builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.AddSharedKeyRing(config[PipelineVariables.ArtifactsBucket]);
        builder.Services.AddRazorPages().AddMvcOptions(o =>
        {
            o.Filters.Add<Pages.AntiforgeryErrorFilter>();
            o.Filters.Add<Pages.RequestTooLargeFilter>();
        });
        builder.Services.AddProblemDetails();
        // A body that is not JSON is the client's mistake: 400 with problem details, in every environment.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);
        // The document names no server: one taken from the request's Host header would let anyone who controls that
        // header point the document's readers elsewhere. Clients resolve the paths against where they fetched it.
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Servers?.Clear();
            return Task.CompletedTask;
        }));
        builder.Services.AddChartBusterRateLimits(config);
        builder.AddWebTelemetry();
        builder.Logging.ClearProviders().AddJsonConsole(o => o.UseUtcTimestamp = true);
        return builder;
    }

    /// <summary>The local model file when CHARTBUSTER_MODEL_PATH is set, else the registry in the artifacts bucket.</summary>
    private static IModelSource ModelSource(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ModelSourceOptions>>().Value;
        return !string.IsNullOrWhiteSpace(options.ModelPath)
            ? new LocalModelFile(options.ModelPath, services.GetRequiredService<ILogger<LocalModelFile>>())
            : new RegistryModelSource(services.GetRequiredService<IAmazonS3>(), options.ArtifactsBucket!, services.GetRequiredService<ILogger<RegistryModelSource>>());
    }

    public static WebApplication UseChartBusterWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseForwardedHeaders();
        // The API answers errors with problem details, never a stack trace; pages with an HTML page. A bad request
        // (such as a body over the limit) keeps its own status either way.
        static int StatusOf(Exception e) => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
        app.UseWhen(IsMachineFacing, api =>
        {
            api.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = StatusOf });
            api.UseStatusCodePages();
        });
        app.UseWhen(context => !IsMachineFacing(context), pages =>
        {
            pages.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = "/Error", StatusCodeSelector = StatusOf });
            pages.UseStatusCodePagesWithReExecute("/Error/{0}");
        });
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            await next(context);
        });
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.MapOpenApi();
        app.MapChartBusterApi();
        app.MapDatasetsApi();
        app.MapRazorPages().RequireRateLimiting(RateLimiting.Pages);
        return app;
    }

    /// <summary>The API, health checks and the OpenAPI document: answered in JSON, errors included.</summary>
    public static bool IsMachineFacing(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path;
        return path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase);
    }

    internal static string Percent(double probability) => probability.ToString("P1", CultureInfo.InvariantCulture);
}
