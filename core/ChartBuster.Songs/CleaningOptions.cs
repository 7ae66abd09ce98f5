namespace ChartBuster.Songs;

/// <summary>How strict cleaning is. The defaults are the production pipeline's.</summary>
public sealed record CleaningOptions
{
    /// <summary>Above this share of invalid rows the file is refused: no ready.csv, so no training.</summary>
    public double MaxRejectedShare { get; init; } = 0.20;

    /// <summary>Training data needs a target; scoring input does not.</summary>
    public bool RequireTarget { get; init; } = true;

    /// <summary>
    /// The most memory the duplicate index may take (64 MiB: about 5.9 million songs at once). A file with more
    /// songs is indexed in hash partitions, one light extra pass over the input each, so memory stays bounded.
    /// </summary>
    public long MaxDuplicateIndexBytes { get; init; } = DuplicateIndex.DefaultMaxTableBytes;

    public void Validate()
    {
        if (MaxRejectedShare is < 0 or > 1 || double.IsNaN(MaxRejectedShare))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRejectedShare), MaxRejectedShare, "Must be between 0 and 1.");
        }

        if (MaxDuplicateIndexBytes < 8192)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDuplicateIndexBytes), MaxDuplicateIndexBytes, "Must be at least 8 KiB.");
        }
    }
}
