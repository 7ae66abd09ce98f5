using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ChartBuster.Model;

public sealed record TrainingOptions
{
    public IReadOnlyList<ModelCandidate> Candidates { get; init; } = ModelCandidate.Defaults;

    /// <summary>Cross-validation folds per candidate; 0 skips cross-validation (one candidate, fitted once).</summary>
    public int Folds { get; init; } = 5;

    /// <summary>One song in this many is held out for validation (5: 20 %).</summary>
    public int ValidationShare { get; init; } = 5;

    public int Seed { get; init; } = 42;
}

/// <summary>A fitted model with everything needed to save it and to judge it.</summary>
public sealed record TrainedModel(
    IReadOnlyDictionary<string, FeatureRange> FeatureRanges,
    ITransformer Transformer,
    DataViewSchema InputSchema,
    ModelMetrics Metrics,
    ModelCandidate Candidate,
    IReadOnlyList<CandidateResult> Candidates,
    IReadOnlyList<TrainingRow> ValidationRows,
    RowCounts Rows,
    IReadOnlyDictionary<string, double> TimingsSeconds);

/// <summary>
/// Trains the candidates and keeps the best. Every setting is scored by grouped, stratified k-fold
/// cross-validation on the training pool only; the best setting of each trainer family is then fitted on
/// the pool and the one with the best AUC on the held-out validation songs wins.
/// </summary>
public sealed class ModelTrainer(TrainingOptions options, Action<string>? progress = null)
{
    public TrainedModel Train(IReadOnlyList<TrainingRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        RequireBothClasses(rows);
        var total = Stopwatch.StartNew();
        var ml = new MLContext(options.Seed);
        var (pool, validation) = GroupedSplit.Holdout(rows, options.ValidationShare, options.Seed);
        var poolView = ml.Data.LoadFromEnumerable(pool.Select(r => r.Input));
        var results = new List<CandidateResult>();
        foreach (var candidate in options.Candidates)
        {
            var clock = Stopwatch.StartNew();
            var cv = options.Folds >= 2 ? CrossValidate(ml, candidate, pool) : null;
            results.Add(new CandidateResult(candidate.Name, candidate.Trainer, candidate.Parameters, cv, null, clock.Elapsed.TotalSeconds));
            if (cv is not null)
            {
                progress?.Invoke($"{candidate.Name}: {options.Folds}-fold CV AUC {cv.AucMean:F4} ± {cv.AucStdDev:F4} ({clock.Elapsed.TotalSeconds:F1} s)");
            }
        }

        var cvSeconds = total.Elapsed.TotalSeconds;
        var finalists = results.GroupBy(r => r.Trainer).Select(g => g.MaxBy(r => r.CrossValidation?.AucMean ?? 0)!).ToList();
        (ITransformer Model, ModelCandidate Candidate, double Auc)? best = null;
        foreach (var finalist in finalists)
        {
            var candidate = options.Candidates.First(c => c.Name == finalist.Name);
            var model = candidate.Pipeline(ml).Fit(poolView);
            var auc = BinaryMetrics.AreaUnderRoc(validation.Select(r => r.Label).ToList(), Predict(ml, model, validation.Select(r => r.Input)));
            results[results.IndexOf(finalist)] = finalist with { ValidationAuc = auc };
            progress?.Invoke($"{candidate.Name}: validation AUC {auc:F4}");
            if (best is null || auc > best.Value.Auc)
            {
                best = (model, candidate, auc);
            }
        }

        var chosen = best!.Value;
        var evaluation = Stopwatch.StartNew();
        var metrics = Evaluate(ml, chosen.Model, validation, results.First(r => r.Name == chosen.Candidate.Name).CrossValidation);
        var rowsCount = new RowCounts(rows.Count, pool.Count, validation.Count, rows.Count(r => r.Label), rows.Select(r => r.Uri).Distinct(StringComparer.Ordinal).Count());
        var timings = new Dictionary<string, double>
        {
            ["crossValidation"] = Math.Round(cvSeconds, 2),
            ["finalFits"] = Math.Round(total.Elapsed.TotalSeconds - cvSeconds - evaluation.Elapsed.TotalSeconds, 2),
            ["evaluation"] = Math.Round(evaluation.Elapsed.TotalSeconds, 2),
            ["total"] = Math.Round(total.Elapsed.TotalSeconds, 2),
        };
        return new TrainedModel(FeatureRange.Of(pool), chosen.Model, poolView.Schema, metrics, chosen.Candidate, results, validation, rowsCount, timings);
    }

    /// <summary>Probabilities of a fitted model for a batch of inputs.</summary>
    public static double[] Predict(MLContext ml, ITransformer model, IEnumerable<SongModelInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(model);
        var scored = model.Transform(ml.Data.LoadFromEnumerable(inputs));
        return [.. scored.GetColumn<float>(nameof(SongModelOutput.Probability)).Select(p => (double)p)];
    }


    /// <summary>
    /// A file where every song charted, or none did, teaches nothing (its AUC is undefined): refuse it in words the
    /// uploader understands instead of producing a model that can only be rejected.
    /// </summary>
    private static void RequireBothClasses(IReadOnlyList<TrainingRow> rows)
    {
        var hits = rows.Count(r => r.Label);
        if (hits == 0 || hits == rows.Count)
        {
            throw new InvalidDataException(
                $"only one class in the file: all {rows.Count:N0} songs have target {(hits == 0 ? 0 : 1)}; a model needs songs that charted and songs that did not");
        }
    }

    private CrossValidationSummary CrossValidate(MLContext ml, ModelCandidate candidate, List<TrainingRow> pool)
    {
        var folds = GroupedSplit.AssignFolds(pool, options.Folds, options.Seed + 1);
        var outOfFold = new double[pool.Count];
        var aucs = new List<double>();
        for (var fold = 0; fold < options.Folds; fold++)
        {
            var train = pool.Where((_, i) => folds[i] != fold).Select(r => r.Input);
            var heldOut = Enumerable.Range(0, pool.Count).Where(i => folds[i] == fold).ToList();
            var model = candidate.Pipeline(ml).Fit(ml.Data.LoadFromEnumerable(train));
            var predicted = Predict(ml, model, heldOut.Select(i => pool[i].Input));
            for (var k = 0; k < heldOut.Count; k++)
            {
                outOfFold[heldOut[k]] = predicted[k];
            }

            aucs.Add(BinaryMetrics.AreaUnderRoc(heldOut.Select(i => pool[i].Label).ToList(), predicted));
        }

        var mean = aucs.Average();
        var sd = Math.Sqrt(aucs.Sum(a => (a - mean) * (a - mean)) / Math.Max(1, aucs.Count - 1));
        return new CrossValidationSummary(options.Folds, mean, sd, BinaryMetrics.Compute(pool.Select(r => r.Label).ToList(), outOfFold));
    }

    private ModelMetrics Evaluate(MLContext ml, ITransformer model, IReadOnlyList<TrainingRow> validation, CrossValidationSummary? cv)
    {
        var labels = validation.Select(r => r.Label).ToList();
        var probabilities = Predict(ml, model, validation.Select(r => r.Input));
        var metrics = BinaryMetrics.Compute(labels, probabilities);
        var importance = PermutationImportance(ml, model, validation, labels, metrics.Auc);
        return new ModelMetrics(metrics, cv, Curves.Roc(labels, probabilities), Curves.Calibration(labels, probabilities), importance);
    }

    /// <summary>Permutation importance is measured on at most this many held-out rows: estimates are stable well
    /// before that, and 31 scoring passes over a million-row holdout would cost more than the training.</summary>
    public const int ImportanceSampleRows = 20_000;

    /// <summary>Shuffles one input at a time across the validation songs and measures the AUC lost.</summary>
    private List<FeatureImportance> PermutationImportance(
        MLContext ml, ITransformer model, IReadOnlyList<TrainingRow> allValidation, List<bool> allLabels, double allBaseline)
    {
        var validation = allValidation.Count <= ImportanceSampleRows
            ? allValidation
            : [.. allValidation.Where((_, i) => i % ((allValidation.Count / ImportanceSampleRows) + 1) == 0)];
        var labels = validation.Count == allValidation.Count ? allLabels : [.. validation.Select(r => r.Label)];
        var baseline = validation.Count == allValidation.Count
            ? allBaseline
            : BinaryMetrics.AreaUnderRoc(labels, Predict(ml, model, validation.Select(r => r.Input)));
        var features = SongModelInput.NumericNames.Select((name, slot) => (name, slot))
            .Concat(SongModelInput.CategoricalNames.Select((name, i) => (name, slot: -1 - i)));
        var result = new List<FeatureImportance>();
        foreach (var (name, slot) in features)
        {
            var random = new Random(options.Seed);
            var inputs = validation.Select(r => r.Input.Clone()).ToList();
            var order = Enumerable.Range(0, inputs.Count).OrderBy(_ => random.Next()).ToArray();
            var originals = validation.Select(r => r.Input).ToList();
            for (var i = 0; i < inputs.Count; i++)
            {
                Permute(inputs[i], originals[order[i]], slot);
            }

            var auc = BinaryMetrics.AreaUnderRoc(labels, Predict(ml, model, inputs));
            result.Add(new FeatureImportance(name, Math.Round(baseline - auc, 6)));
        }

        return [.. result.OrderByDescending(f => f.AucDrop)];
    }

    private static void Permute(SongModelInput target, SongModelInput source, int slot)
    {
        switch (slot)
        {
            case >= 0:
                target.Numeric[slot] = source.Numeric[slot];
                break;
            case -1:
                target.Key = source.Key;
                break;
            case -2:
                target.Mode = source.Mode;
                break;
            case -3:
                target.TimeSignature = source.TimeSignature;
                break;
            default:
                target.Decade = source.Decade;
                break;
        }
    }
}
