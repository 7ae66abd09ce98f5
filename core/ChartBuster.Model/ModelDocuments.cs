using System.Text.Json.Serialization;

namespace ChartBuster.Model;

/// <summary>metrics.json: how good the model is on validation songs it never saw, and by cross-validation.</summary>
public sealed record ModelMetrics(
    BinaryMetrics Validation,
    CrossValidationSummary? CrossValidation,
    IReadOnlyList<Curves.RocPoint> Roc,
    IReadOnlyList<Curves.CalibrationBin> Calibration,
    IReadOnlyList<FeatureImportance> PermutationImportance);

/// <summary>Out-of-fold quality over the training pool: mean and spread of fold AUCs, pooled metrics.</summary>
public sealed record CrossValidationSummary(int Folds, double AucMean, double AucStdDev, BinaryMetrics Pooled);

/// <summary>How much validation AUC drops when one input is shuffled across songs.</summary>
public sealed record FeatureImportance(string Feature, double AucDrop);

public sealed record CandidateResult(
    string Name,
    string Trainer,
    IReadOnlyDictionary<string, double> Parameters,
    CrossValidationSummary? CrossValidation,
    double? ValidationAuc,
    double Seconds);

/// <summary>The spread of one raw input in the training data: what the model has seen.</summary>
public sealed record FeatureRange(double Min, double Median, double Max)
{
    /// <summary>Ranges of the raw audio inputs over the training rows.</summary>
    public static IReadOnlyDictionary<string, FeatureRange> Of(IReadOnlyList<TrainingRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var ranges = new Dictionary<string, FeatureRange>(StringComparer.Ordinal);
        for (var slot = 0; slot < ChartBuster.Songs.SongFeatures.RawColumns.Count; slot++)
        {
            var values = rows.Select(r => (double)r.Input.Numeric[slot]).Order().ToArray();
            if (values.Length > 0)
            {
                ranges[SongModelInput.NumericNames[slot]] = new FeatureRange(values[0], values[values.Length / 2], values[^1]);
            }
        }

        return ranges;
    }
}

public sealed record RowCounts(int Total, int Training, int Validation, int Hits, int DistinctSongs);

/// <summary>model-card.json: what the model is, what it learned from, how it was chosen, and its fate.</summary>
public sealed record ModelCard
{
    public required string ModelVersion { get; init; }

    public required string DatasetId { get; init; }

    public required DateTimeOffset TrainedAt { get; init; }

    public required RowCounts Rows { get; init; }

    public required IReadOnlyList<string> NumericFeatures { get; init; }

    public required IReadOnlyList<string> CategoricalFeatures { get; init; }

    public required string Trainer { get; init; }

    public required string Candidate { get; init; }

    public required IReadOnlyDictionary<string, double> Parameters { get; init; }

    public required IReadOnlyList<CandidateResult> Candidates { get; init; }

    public required IReadOnlyDictionary<string, double> TimingsSeconds { get; init; }

    public required string CodeVersion { get; init; }

    public required int Seed { get; init; }

    /// <summary>Min, median and max of each raw input in the training rows (form defaults, out-of-range notes).</summary>
    public IReadOnlyDictionary<string, FeatureRange>? FeatureRanges { get; init; }

    /// <summary>"candidate" until the registry decides; then "promoted" or "rejected".</summary>
    public string Status { get; init; } = "candidate";

    public string? StatusReason { get; init; }

    public double? ValidationAuc { get; init; }

    public double? CurrentModelAucOnSameRows { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(ModelMetrics))]
[JsonSerializable(typeof(ModelCard))]
public sealed partial class ModelJsonContext : JsonSerializerContext;
