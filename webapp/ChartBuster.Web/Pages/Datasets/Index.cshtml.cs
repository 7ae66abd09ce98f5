using Amazon.S3;
using ChartBuster.Songs.Journeys;
using ChartBuster.Web.Datasets;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace ChartBuster.Web.Pages.Datasets;

/// <summary>Every uploaded dataset, newest first, a page at a time.</summary>
public sealed class IndexModel(DatasetCatalog catalog, IOptions<DatasetsOptions> options) : PageModel
{
    public DatasetPage? Listing { get; private set; }

    public string? Note { get; private set; }

    public bool IsFirstPage { get; private set; } = true;

    public async Task<IActionResult> OnGetAsync(string? after, CancellationToken cancellationToken)
    {
        if (after is not null && !JourneyKeys.IsCursor(after))
        {
            return BadRequest();
        }

        IsFirstPage = after is null;
        if (!catalog.IsConnected)
        {
            Note = "This site serves a local model and is not connected to the pipeline (CHARTBUSTER_READY_BUCKET is not set), so it has no datasets to show.";
            return Page();
        }

        try
        {
            Listing = await catalog.PageAsync(after, options.Value.PageSize, cancellationToken);
        }
        catch (Exception e) when (e is AmazonS3Exception or HttpRequestException or IOException)
        {
            Note = "The datasets cannot be read right now; try again shortly.";
        }

        return Page();
    }
}
