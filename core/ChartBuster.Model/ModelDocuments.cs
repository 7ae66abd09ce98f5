using System.Text.Json.Serialization;

namespace ChartBuster.Model;

/// <summary>
/// metrics.json: how good the model is on validation songs by artists it never saw (<see cref="Validation"/>,
/// its ROC, calibration, importance and per-decade figures), by cross-validation grouped the same way, and
/// the same pipeline on a song-grouped split for comparison (<see cref="ArtistGap"/>).
/// </summary>
public sealed record ModelMetrics(
    BinaryMetrics Validation,
    CrossValidationSummary? CrossValidation,
    IReadOnlyList<Curves.RocPoint> Roc,
    IReadOnlyList<Curves.CalibrationBin> Calibration,
    IReadOnlyList<FeatureImportance> PermutationImportance)
{
    /// <summary>What keeps the validation songs apart from the training songs: "artist" (null in models trained before issue 13: "song").</summary>
    public string? ValidationGrouping { get; init; }

    /// <summary>Why the validation could not be grouped by artist, when it could not.</summary>
    public string? GroupingNote { get; init; }

    /// <summary>The same pipeline fitted and measured on a song-grouped holdout (artists may sit on both sides).</summary>
    public BinaryMetrics? SongGroupedValidation { get; init; }

    public GroupingGap? ArtistGap { get; init; }

    /// <summary>The validation metrics of each decade's songs.</summary>
    public IReadOnlyList<DecadeMetrics>? PerDecade { get; init; }
}

/// <summary>Out-of-fold quality over the training pool: mean and spread of fold AUCs, pooled metrics.</summary>
public sealed record CrossValidationSummary(int Folds, double AucMean, double AucStdDev, BinaryMetrics Pooled)
{
    /// <summary>"artist" or "song" (null in models trained before issue 13: song).</summary>
    public string? Grouping { get; init; }

    public IReadOnlyList<double>? FoldAucs { get; init; }
}

/// <summary>Validation quality on one decade's songs (AUC is NaN when the decade has only hits or only non-hits).</summary>
public sealed record DecadeMetrics(string Decade, int Rows, int Hits, double Auc, double LogLoss, double Accuracy, double Brier)
{
    public static IReadOnlyList<DecadeMetrics> Of(IReadOnlyList<TrainingRow> rows, IReadOnlyList<double> probabilities)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(probabilities);
        return [.. Enumerable.Range(0, rows.Count)
            .GroupBy(i => rows[i].Input.Decade)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var m = BinaryMetrics.Compute([.. g.Select(i => rows[i].Label)], [.. g.Select(i => probabilities[i])]);
                return new DecadeMetrics(g.Key, m.Rows, (int)(m.Confusion.TruePositives + m.Confusion.FalseNegatives), m.Auc, m.LogLoss, m.Accuracy, m.Brier);
            })];
    }
}

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

public sealed record RowCounts(int Total, int Training, int Validation, int Hits, int DistinctSongs)
{
    /// <summary>Distinct artists (normalised names) in all rows, and among the validation rows (none of them in training).</summary>
    public int? DistinctArtists { get; init; }

    public int? ValidationArtists { get; init; }

    /// <summary>The held-out rows the permutation importance was measured on: all of them, or a seeded sample of
    /// <see cref="ModelTrainer.ImportanceSampleRows"/> when there are more (null in models trained before it was recorded).</summary>
    public int? ImportanceRows { get; init; }
}

/// <summary>A model version's fate in the registry.</summary>
public static class ModelStatus
{
    public const string Candidate = "candidate";

    /// <summary>Failed the quality gate: stored, never served.</summary>
    public const string Rejected = "rejected";

    /// <summary>Passed the gate; the pointer is being moved to it.</summary>
    public const string Promoting = "promoting";

    /// <summary>The pointer named it (it served, or serves).</summary>
    public const string Promoted = "promoted";

    /// <summary>Shown for a "promoting" version the pointer never named: its training stopped in between.</summary>
    public const string Interrupted = "interrupted";
}

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

    /// <summary>SHA-256 (hex) of the model.zip this card describes, so a reader can tell a card from another model's.</summary>
    public string? ModelSha256 { get; init; }

    /// <summary>Min, median and max of each raw input in the training rows (form defaults, out-of-range notes).</summary>
    public IReadOnlyDictionary<string, FeatureRange>? FeatureRanges { get; init; }

    /// <summary>One of <see cref="ModelStatus"/>: "candidate" until the registry decides, then "rejected", or "promoting" and "promoted".</summary>
    public string Status { get; init; } = ModelStatus.Candidate;

    public string? StatusReason { get; init; }

    public double? ValidationAuc { get; init; }

    public double? CurrentModelAucOnSameRows { get; init; }

    /// <summary>What this model can and cannot tell you, in plain words, with the measurements behind them.</summary>
    public ModelScope? CanAndCannotTell { get; init; }

    /// <summary>The trace id of the upload this model was trained from (the same id as in its dataset's journey).</summary>
    public string? TraceId { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(ModelMetrics))]
[JsonSerializable(typeof(ModelCard))]
public sealed partial class ModelJsonContext : JsonSerializerContext;
