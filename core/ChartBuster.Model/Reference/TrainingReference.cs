using System.Text.Json.Serialization;
using ChartBuster.Songs;

namespace ChartBuster.Model.Reference;

/// <summary>
/// What serving needs to know about the training data to make a number honest and an explanation meaningful, computed
/// by the trainer and stored inside model.zip (<see cref="ModelReference"/>), so the site needs no data access: what a
/// hit is and how common hits were, each decade's typical song and where held-out songs scored, presets drawn from
/// real songs, how to fill in missing structure inputs, and the spread of each input.
/// </summary>
public sealed record TrainingReference
{
    /// <summary>The label's meaning, in words for people.</summary>
    public const string HitMeaning = "reached the Billboard Hot 100 in its decade";

    public required int Songs { get; init; }

    public required int Hits { get; init; }

    /// <summary>Share of training songs that charted: the dataset's balance, not real-world odds.</summary>
    public double BaseRate => Songs == 0 ? 0 : (double)Hits / Songs;

    public required IReadOnlyList<DecadeReference> Decades { get; init; }

    /// <summary>The median of each input over all training songs: the reference for a decade the data does not have.</summary>
    public required IReadOnlyDictionary<string, double> Typical { get; init; }

    public required IReadOnlyList<Preset> Presets { get; init; }

    public required StructureImputation Imputation { get; init; }

    /// <summary>Per raw input: the spread of the training songs (what-if curves span the 1st to 99th percentile).</summary>
    public required IReadOnlyDictionary<string, InputSpread> Inputs { get; init; }

    /// <summary>The decade's entry, or null for a decade the training data did not have.</summary>
    public DecadeReference? Decade(int decade) => Decades.FirstOrDefault(d => d.Decade == decade);
}

/// <summary>One decade of the training data.</summary>
/// <param name="Typical">The median of each input over the decade's training songs (the most common value of key,
/// mode and time signature): the reference explanations are measured against.</param>
/// <param name="HitPercentiles">Percentiles 0..100 of the model's probability for the decade's held-out songs that charted.</param>
/// <param name="MissPercentiles">The same for held-out songs that did not chart.</param>
public sealed record DecadeReference(
    int Decade,
    int Songs,
    int Hits,
    IReadOnlyDictionary<string, double> Typical,
    int HeldOutHits,
    int HeldOutMisses,
    IReadOnlyList<double> HitPercentiles,
    IReadOnlyList<double> MissPercentiles)
{
    public double BaseRate => Songs == 0 ? 0 : (double)Hits / Songs;

    /// <summary>Share of the held-out charting songs of this decade that score below <paramref name="probability"/>; null when too few.</summary>
    public double? ShareOfHitsBelow(double probability) => Percentiles.ShareBelow(HitPercentiles, probability);

    public double? ShareOfMissesBelow(double probability) => Percentiles.ShareBelow(MissPercentiles, probability);
}

/// <summary>A starting song made from real ones: the median of the training songs matching a stated rule.</summary>
public sealed record Preset(string Id, string Label, string Description, int Decade, int Songs, IReadOnlyDictionary<string, double> Inputs);

/// <summary>The spread of one raw input in the training songs.</summary>
public sealed record InputSpread(double Min, double P1, double Median, double P99, double Max, double Mean, double StandardDeviation, IReadOnlyList<double>? Values = null);

/// <summary>Percentiles of a sample, and the share of the sample below a value read back from them.</summary>
public static class Percentiles
{
    /// <summary>Fewer songs than this give no rank: a percentile of a handful of songs would pretend to precision.</summary>
    public const int MinimumSongs = 20;

    public static IReadOnlyList<double> Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length < MinimumSongs)
        {
            return [];
        }

        return [.. Enumerable.Range(0, 101).Select(p => Math.Round(At(sorted, p / 100.0), 6))];
    }

    /// <summary>The share (0..1) of the sample below <paramref name="value"/>, interpolated between percentiles.</summary>
    public static double? ShareBelow(IReadOnlyList<double> percentiles, double value)
    {
        ArgumentNullException.ThrowIfNull(percentiles);
        if (percentiles.Count < 2)
        {
            return null;
        }

        if (value <= percentiles[0])
        {
            return 0;
        }

        if (value >= percentiles[^1])
        {
            return 1;
        }

        var last = percentiles.Count - 1;
        var i = 0;
        while (i < last - 1 && percentiles[i + 1] <= value)
        {
            i++;
        }

        var span = percentiles[i + 1] - percentiles[i];
        return (i + (span <= 0 ? 1 : (value - percentiles[i]) / span)) / last;
    }

    /// <summary>Linear interpolation between order statistics (the "type 7" percentile).</summary>
    public static double At(IReadOnlyList<double> sorted, double share)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        var position = share * (sorted.Count - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + ((position - low) * (sorted[high] - sorted[low]));
    }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    IgnoreReadOnlyProperties = true)]
[JsonSerializable(typeof(TrainingReference))]
public sealed partial class ReferenceJsonContext : JsonSerializerContext;
