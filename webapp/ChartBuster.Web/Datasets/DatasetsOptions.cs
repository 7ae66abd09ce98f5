using System.ComponentModel.DataAnnotations;

namespace ChartBuster.Web.Datasets;

/// <summary>Where the datasets and their journeys are read from, and how much a page may read.</summary>
public sealed class DatasetsOptions
{
    /// <summary>CHARTBUSTER_READY_BUCKET; without it the site is not connected to the pipeline and has no datasets to show.</summary>
    public string? ReadyBucket { get; set; }

    /// <summary>How long a listing or a dataset is served from memory before S3 is asked again.</summary>
    [Range(0, 300)]
    public double CacheSeconds { get; set; } = 5;

    [Range(1, 100)]
    public int PageSize { get; set; } = 20;

    /// <summary>The head of rejects.csv read for a dataset page: one ranged GET, whatever the file's size.</summary>
    [Range(1024, 1 << 20)]
    public int RejectsPreviewBytes { get; set; } = 64 << 10;

    [Range(1, 200)]
    public int RejectsPreviewRows { get; set; } = 20;

    /// <summary>S3 requests in flight at once for all pages together.</summary>
    [Range(1, 64)]
    public int MaxConcurrentReads { get; set; } = 16;

    public bool IsConnected => !string.IsNullOrWhiteSpace(ReadyBucket);
}
