using System.Globalization;

namespace ChartBuster.Preprocess;

/// <summary>The function's configuration, from the environment variables of DESIGN.md.</summary>
public sealed record PreprocessOptions
{
    public const string ReadyBucketVariable = "CHARTBUSTER_READY_BUCKET";
    public const string RawBucketVariable = "CHARTBUSTER_RAW_BUCKET";
    public const string MaxRejectedShareVariable = "CHARTBUSTER_MAX_REJECTED_SHARE";

    /// <summary>Where prepared datasets go.</summary>
    public required string ReadyBucket { get; init; }

    /// <summary>The bucket uploads arrive in; when set, events from any other bucket are refused.</summary>
    public string? RawBucket { get; init; }

    public double MaxRejectedShare { get; init; } = 0.20;

    public static PreprocessOptions FromEnvironment(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var readyBucket = variable(ReadyBucketVariable);
        if (string.IsNullOrWhiteSpace(readyBucket))
        {
            throw new InvalidOperationException($"{ReadyBucketVariable} is not set: the function does not know where to write.");
        }

        var share = variable(MaxRejectedShareVariable);
        var maxShare = 0.20;
        if (!string.IsNullOrWhiteSpace(share)
            && (!double.TryParse(share, NumberStyles.Float, CultureInfo.InvariantCulture, out maxShare) || maxShare is < 0 or > 1))
        {
            throw new InvalidOperationException($"{MaxRejectedShareVariable} must be a number from 0 to 1, not '{share}'.");
        }

        var raw = variable(RawBucketVariable);
        return new PreprocessOptions
        {
            ReadyBucket = readyBucket,
            RawBucket = string.IsNullOrWhiteSpace(raw) ? null : raw,
            MaxRejectedShare = maxShare,
        };
    }
}
