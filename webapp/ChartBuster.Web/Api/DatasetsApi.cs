using System.Net;
using Amazon.S3;
using ChartBuster.Songs.Journeys;
using ChartBuster.Web.Datasets;
using Microsoft.Extensions.Options;

namespace ChartBuster.Web.Api;

/// <summary>The datasets API: every upload's journey, the same facts as the /datasets pages.</summary>
public static class DatasetsApi
{
    public static IEndpointRouteBuilder MapDatasetsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/datasets").RequireRateLimiting(RateLimiting.Api).DisableAntiforgery();
        api.MapGet("", ListAsync)
            .WithSummary("Uploaded datasets, newest first")
            .WithDescription("A page of datasets with their state, row counts and the model each produced. Pass `next` back as `after` for the older page.")
            .Produces<DatasetPage>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/{datasetId}", GetAsync)
            .WithSummary("One dataset's journey")
            .WithDescription("Its timeline, counts, rejects by reason, the first rejected rows and the model it produced.")
            .Produces<DatasetDetail>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        // The link in a notification is the site's address followed by the record's key: it opens the dataset's page.
        app.MapGet("/journeys/datasets/{datasetId}/{record}", (string datasetId, string record) =>
                JourneyKeys.IsDatasetId(datasetId) && record.EndsWith(JourneyKeys.Extension, StringComparison.Ordinal)
                    && JourneyKeys.IsRecordName(record[..^JourneyKeys.Extension.Length])
                    ? Results.Redirect($"/datasets/{datasetId}")
                    : Results.NotFound())
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ListAsync(string? after, int? limit, DatasetCatalog catalog, IOptions<DatasetsOptions> options, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (after is not null && !JourneyKeys.IsCursor(after))
        {
            errors["after"] = ["after must be the next value of a previous page."];
        }

        if (limit is < 1 or > 100)
        {
            errors["limit"] = ["limit must be from 1 to 100."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "The page request is invalid.");
        }

        return await ReadAsync(catalog, async () => Results.Ok(await catalog.PageAsync(after, limit ?? options.Value.PageSize, cancellationToken)));
    }

    private static async Task<IResult> GetAsync(string datasetId, DatasetCatalog catalog, CancellationToken cancellationToken)
    {
        if (!JourneyKeys.IsDatasetId(datasetId))
        {
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { ["datasetId"] = ["A dataset id has only lower-case letters, digits and hyphens."] },
                title: "Not a dataset id.");
        }

        return await ReadAsync(catalog, async () => await catalog.DetailAsync(datasetId, cancellationToken) is { } detail
            ? Results.Ok(detail)
            : Results.Problem($"There is no dataset '{datasetId}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown dataset"));
    }

    private static async Task<IResult> ReadAsync(DatasetCatalog catalog, Func<Task<IResult>> read)
    {
        if (!catalog.IsConnected)
        {
            return Results.Problem(
                "This site is not connected to the pipeline: CHARTBUSTER_READY_BUCKET is not set.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "No datasets here");
        }

        try
        {
            return await read();
        }
        catch (Exception e) when (e is AmazonS3Exception or HttpRequestException or IOException)
        {
            var status = e is AmazonS3Exception { StatusCode: HttpStatusCode.Forbidden } ? "access denied" : "unavailable";
            return Results.Problem(
                $"The datasets cannot be read right now ({status}); try again shortly.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "Datasets unavailable");
        }
    }
}
