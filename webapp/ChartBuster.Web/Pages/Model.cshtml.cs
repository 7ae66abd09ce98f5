using Amazon.S3;
using ChartBuster.Model;
using ChartBuster.Model.Registry;
using ChartBuster.Web.Following;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace ChartBuster.Web.Pages;

/// <summary>The serving model: when and on what it was trained, how good it is, and the versions before it.</summary>
public sealed class ModelModel(ServingModelInfo info, IOptions<ModelSourceOptions> source, IServiceProvider services) : PageModel
{
    public ServingModelInfo.Snapshot? Serving { get; private set; }

    /// <summary>The last model refused since the serving one loaded, with the reason.</summary>
    public ServingModelInfo.Refusal? Refused => info.Refused;

    public IReadOnlyList<ModelCard> History { get; private set; } = [];

    public string? HistoryNote { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Serving = info.Current;
        if (string.IsNullOrWhiteSpace(source.Value.ArtifactsBucket))
        {
            HistoryNote = "This site serves one local model file; the history of versions lives in the registry.";
            return;
        }

        try
        {
            History = await new ModelRegistry(services.GetRequiredService<IAmazonS3>(), source.Value.ArtifactsBucket).HistoryAsync(cancellationToken);
        }
        catch (AmazonS3Exception)
        {
            HistoryNote = "The history of versions cannot be read right now.";
        }
    }
}
