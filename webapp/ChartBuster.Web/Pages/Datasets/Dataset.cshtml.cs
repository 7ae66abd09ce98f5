using Amazon.S3;
using ChartBuster.Songs.Journeys;
using ChartBuster.Web.Datasets;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChartBuster.Web.Pages.Datasets;

/// <summary>One dataset: its timeline, counts, rejects by reason, first rejected rows and the model it produced.</summary>
public sealed class DatasetModel(DatasetCatalog catalog) : PageModel
{
    public DatasetDetail? Detail { get; private set; }

    public string? Note { get; private set; }

    public async Task<IActionResult> OnGetAsync(string datasetId, CancellationToken cancellationToken)
    {
        if (!JourneyKeys.IsDatasetId(datasetId))
        {
            return NotFound();
        }

        if (!catalog.IsConnected)
        {
            Note = "This site is not connected to the pipeline (CHARTBUSTER_READY_BUCKET is not set).";
            return Page();
        }

        try
        {
            Detail = await catalog.DetailAsync(datasetId, cancellationToken);
        }
        catch (Exception e) when (e is AmazonS3Exception or HttpRequestException or IOException)
        {
            Note = "This dataset cannot be read right now; try again shortly.";
            return Page();
        }

        return Detail is null ? NotFound() : Page();
    }
}
