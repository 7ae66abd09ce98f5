using ChartBuster.Songs.Pipeline;

namespace ChartBuster.Web.Datasets;

public static class DatasetServices
{
    /// <summary>The datasets pages and API: options from CHARTBUSTER_READY_BUCKET and the "Datasets" section, validated at start.</summary>
    public static WebApplicationBuilder AddDatasetJourneys(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var config = builder.Configuration;
        builder.Services.AddOptions<DatasetsOptions>()
            .Configure(o => o.ReadyBucket = config[PipelineVariables.ReadyBucket])
            .BindConfiguration("Datasets")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<DatasetCatalog>();
        return builder;
    }
}
