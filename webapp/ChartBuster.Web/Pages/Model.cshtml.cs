using Amazon.S3;
using ChartBuster.Model;
using ChartBuster.Model.Serving;
using ChartBuster.Web.Following;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChartBuster.Web.Pages;

/// <summary>The serving model: when and on what it was trained, how good it is, and the versions before it.</summary>
public sealed class ModelModel(CurrentModel current, IModelSource source) : PageModel
{
    public ServedModel? Serving { get; private set; }

    /// <summary>The last model refused since the serving one loaded, with the reason.</summary>
    public ModelRefusal? Refused { get; private set; }

    public IReadOnlyList<ModelCard> History { get; private set; } = [];

    public string? HistoryNote { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        (Serving, Refused) = current.State;
        try
        {
            if (await source.HistoryAsync(cancellationToken) is { } history)
            {
                History = history;
            }
            else
            {
                HistoryNote = "This site serves one local model file; the history of versions lives in the registry.";
            }
        }
        catch (AmazonS3Exception)
        {
            HistoryNote = "The history of versions cannot be read right now.";
        }
    }
}
