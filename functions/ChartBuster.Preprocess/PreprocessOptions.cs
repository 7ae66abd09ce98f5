using System.Globalization;
using ChartBuster.Songs.Pipeline;

namespace ChartBuster.Preprocess;

/// <summary>The function's configuration, from the environment variables of DESIGN.md.</summary>
public sealed record PreprocessOptions
{
    /// <summary>Where prepared datasets go.</summary>
    public required string ReadyBucket { get; init; }

    /// <summary>The bucket uploads arrive in; when set, events from any other bucket are refused.</summary>
    public string? RawBucket { get; init; }

    public double MaxRejectedShare { get; init; } = 0.20;

    public static PreprocessOptions FromEnvironment(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var readyBucket = variable(PipelineVariables.ReadyBucket);
        if (string.IsNullOrWhiteSpace(readyBucket))
        {
            throw new InvalidOperationException($"{PipelineVariables.ReadyBucket} is not set: the function does not know where to write.");
        }

        var share = variable(PipelineVariables.MaxRejectedShare);
        var maxShare = 0.20;
        if (!string.IsNullOrWhiteSpace(share)
            && (!double.TryParse(share, NumberStyles.Float, CultureInfo.InvariantCulture, out maxShare) || maxShare is < 0 or > 1))
        {
            throw new InvalidOperationException($"{PipelineVariables.MaxRejectedShare} must be a number from 0 to 1, not '{share}'.");
        }

        var raw = variable(PipelineVariables.RawBucket);
        return new PreprocessOptions
        {
            ReadyBucket = readyBucket,
            RawBucket = string.IsNullOrWhiteSpace(raw) ? null : raw,
            MaxRejectedShare = maxShare,
        };
    }
}
