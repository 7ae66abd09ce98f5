using System.ComponentModel.DataAnnotations;

namespace ChartBuster.Web;

/// <summary>
/// How much one request may ask of the site (section "RequestLimits"). Every collection that grows with a request's
/// content is bounded by one of these, so that no request, whatever its shape, costs more than a known amount.
/// </summary>
public sealed class RequestLimitOptions
{
    /// <summary>Songs in one API request: 10,000 songs are about 4 MB of JSON, the body limit, and 0.2 s of one core.</summary>
    [Range(1, 1_000_000)]
    public int MaxSongsPerRequest { get; set; } = 10_000;

    /// <summary>Field errors listed in one answer; the answer also gives their total count.</summary>
    [Range(1, 10_000)]
    public int MaxErrorsReported { get; set; } = 100;

    /// <summary>Rows of one uploaded file (4 MB of real songs is about 26,000 rows).</summary>
    [Range(1, 10_000_000)]
    public int MaxBatchRows { get; set; } = 50_000;
}
