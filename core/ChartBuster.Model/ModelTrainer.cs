using System.Diagnostics;
using ChartBuster.Model.Reference;
using ChartBuster.Model.Registry;
using ChartBuster.Model.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ChartBuster.Model;

public sealed record TrainingOptions
{
    public IReadOnlyList<ModelCandidate> Candidates { get; init; } = ModelCandidate.Defaults;

    /// <summary>What the pipeline learns from; checked by <see cref="ModelFeatures.Guard"/> before anything trains.</summary>
    public ModelFeatures Features { get; init; } = ModelFeatures.AudioAndDecade;

    /// <summary>Cross-validation folds per candidate; 0 skips cross-validation (the first candidate is fitted once).</summary>
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
    IReadOnlyList<double> ValidationProbabilities,
    RowCounts Rows,
    IReadOnlyDictionary<string, double> TimingsSeconds,
    ModelScope Scope)
{
    /// <summary>model.zip: the fitted pipeline with the training reference inside (<see cref="ModelReference"/>), built
    /// beside the permutation importance.</summary>
    public required byte[] ModelZip { get; init; }
}

/// <summary>
/// Trains the candidates and keeps the best, measuring everything on songs by artists the model has not seen.
/// A fifth of the artists (with all their songs) is held out for validation; every candidate is scored by
/// artist-grouped, stratified k-fold cross-validation on the rest (the pool); the best by CV AUC is fitted on
/// the pool and measured on the held-out artists. The same pipeline is also fitted on a song-grouped split
/// (artists on both sides) so that the gap, the part of the skill that would be recognising artists, is visible.
/// </summary>
public sealed class ModelTrainer(TrainingOptions options, Action<string>? progress = null)
{
    /// <param name="cancellationToken">Checked between stages: before each candidate's cross-validation, before the final
    /// fit and after it (a fit itself runs to its end: ML.NET's cancellation is only in its experimental package).</param>
    public TrainedModel Train(IReadOnlyList<TrainingRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        options.Features.Guard();
        RequireBothClasses(rows);
        var total = Stopwatch.StartNew();
        var ml = new MLContext(options.Seed);
        // The artist-grouped assignment is made once: it decides whether artists can be held out, and splits them.
        var byArtist = GroupedSplit.AssignFolds(rows, options.ValidationShare, options.Seed, SplitGrouping.Artist);
        var grouping = ArtistsCanBeHeldOut(rows, byArtist) ? SplitGrouping.Artist : SplitGrouping.Song;
        var (pool, validation) = grouping == SplitGrouping.Artist
            ? GroupedSplit.Holdout(rows, byArtist)
            : GroupedSplit.Holdout(rows, options.ValidationShare, options.Seed, SplitGrouping.Song);
        var results = ScoreCandidates(pool, grouping, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var timings = new Dictionary<string, double> { ["crossValidation"] = Math.Round(total.Elapsed.TotalSeconds, 2) };
        var best = results.MaxBy(r => r.CrossValidation?.AucMean ?? 0)!;
        var chosen = options.Candidates.First(c => c.Name == best.Name);

        // ML.NET's LightGbm trainer lets one fit at a time build trees in a process (a lock inside it), and LightGbm's
        // OpenMP threads spin at their barriers, so a fit is fastest with every core and nothing beside it: the final fit,
        // then the song-grouped comparison, each on every core; then the evaluation, and the importance on every core
        // while the training reference and the model's bytes are built beside it.
        var clock = Stopwatch.StartNew();
        var poolView = ml.Data.LoadFromEnumerable(pool.Select(r => r.Input));
        var model = chosen.Pipeline(ml, options.Features, threads: Environment.ProcessorCount).Fit(poolView);
        cancellationToken.ThrowIfCancellationRequested();
        timings["finalFit"] = Lap(clock);
        var songGrouped = grouping == SplitGrouping.Artist ? SongGroupedComparison(rows, chosen) : null;
        cancellationToken.ThrowIfCancellationRequested();
        timings["songGroupedComparison"] = Lap(clock);
        // The compiled evaluator gives ML.NET's probabilities (checked when compiled) at a fraction of the cost: the
        // importance below scores the held-out songs once per input.
        var evaluator = new ModelEvaluator(ml, model);
        var (metrics, probabilities) = Evaluate(evaluator, validation, best.CrossValidation);
        metrics = metrics with { ValidationGrouping = grouping.ToString().ToLowerInvariant() };
        results[results.IndexOf(best)] = best with { ValidationAuc = metrics.Validation.Auc };
        progress?.Invoke($"{chosen.Name}: validation AUC {metrics.Validation.Auc:F4} on {(grouping == SplitGrouping.Artist ? "artists it has not seen" : "songs it has not seen")}");
        metrics = WithComparison(metrics, songGrouped, rows);
        timings["evaluation"] = Lap(clock);
        var packaged = Task.Run(() => Package(model, poolView.Schema, rows, validation, probabilities), cancellationToken);
        var (importance, importanceRows) = PermutationImportance(evaluator, validation, [.. validation.Select(r => r.Label)], metrics.Validation.Auc);
        metrics = metrics with { PermutationImportance = importance };
        timings["importance"] = Lap(clock);
        var (modelZip, referenceSeconds, savingSeconds) = packaged.GetAwaiter().GetResult();
        timings["reference"] = referenceSeconds;
        timings["saving"] = savingSeconds;
        timings["packageWait"] = Lap(clock);
        timings["total"] = Math.Round(total.Elapsed.TotalSeconds, 2);

        var rowsCount = new RowCounts(rows.Count, pool.Count, validation.Count, rows.Count(r => r.Label), rows.Select(r => r.Uri).Distinct(StringComparer.Ordinal).Count())
        {
            DistinctArtists = rows.Select(r => r.ArtistKey).Distinct(StringComparer.Ordinal).Count(),
            ValidationArtists = validation.Select(r => r.ArtistKey).Distinct(StringComparer.Ordinal).Count(),
            ImportanceRows = importanceRows,
        };
        return new TrainedModel(FeatureRange.Of(pool), model, poolView.Schema, metrics, chosen, results, validation, probabilities, rowsCount, timings, ModelScope.Describe(rows, metrics))
        {
            ModelZip = modelZip,
        };
    }

    private static double Lap(Stopwatch clock)
    {
        var seconds = Math.Round(clock.Elapsed.TotalSeconds, 2);
        clock.Restart();
        return seconds;
    }

    /// <summary>Each candidate's k-fold CV on the pool (with folds = 0, just the first candidate, unscored).</summary>
    private List<CandidateResult> ScoreCandidates(List<TrainingRow> pool, SplitGrouping grouping, CancellationToken cancellationToken)
    {
        var folds = options.Folds >= 2 ? GroupedSplit.AssignFolds(pool, options.Folds, options.Seed + 1, grouping) : null;
        var results = new List<CandidateResult>();
        foreach (var candidate in options.Candidates.Take(folds is null ? 1 : int.MaxValue))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var cv = folds is null ? null : CrossValidation.Run(pool, folds, CrossValidation.For(candidate, options.Features, options.Seed), grouping).Summary;
            results.Add(new CandidateResult(candidate.Name, candidate.Trainer, candidate.Parameters, cv, null, Math.Round(clock.Elapsed.TotalSeconds, 2)));
            if (cv is not null)
            {
                progress?.Invoke($"{candidate.Name}: {options.Folds}-fold {cv.Grouping}-grouped CV AUC {cv.AucMean:F4} ± {cv.AucStdDev:F4} ({clock.Elapsed.TotalSeconds:F1} s)");
            }
        }

        return results;
    }

    /// <summary>The chosen pipeline fitted on a song-grouped split (artists on both sides), with every core.</summary>
    private BinaryMetrics SongGroupedComparison(IReadOnlyList<TrainingRow> rows, ModelCandidate chosen)
    {
        var learner = CrossValidation.For(chosen, options.Features, options.Seed, threads: Environment.ProcessorCount);
        return CrossValidation.Holdout(rows, learner, SplitGrouping.Song, options.ValidationShare, options.Seed);
    }

    /// <summary>
    /// model.zip with the training reference inside, and the seconds spent on each (they run beside the importance).
    /// </summary>
    private static (byte[] ModelZip, double ReferenceSeconds, double SavingSeconds) Package(
        ITransformer model, DataViewSchema schema, IReadOnlyList<TrainingRow> rows, IReadOnlyList<TrainingRow> validation, double[] probabilities)
    {
        var clock = Stopwatch.StartNew();
        var reference = ModelReference.Build(rows, validation, probabilities);
        var referenceSeconds = Lap(clock);
        var modelZip = ModelFiles.ModelBytes(model, schema, reference);
        return (modelZip, referenceSeconds, Lap(clock));
    }

    /// <summary>The song-grouped figures and the gap, or, when artists could not be held out, the note that says so.</summary>
    private ModelMetrics WithComparison(ModelMetrics metrics, BinaryMetrics? songGrouped, IReadOnlyList<TrainingRow> rows)
    {
        if (songGrouped is null)
        {
            var note = $"The data has too few artists ({rows.Select(r => r.ArtistKey).Distinct(StringComparer.Ordinal).Count()}), " +
                "or one artist holds too many of its songs, to hold whole artists out: these figures are on held-out songs whose artists may be in training, " +
                "which overstates the quality on new artists.";
            progress?.Invoke(note);
            return metrics with { GroupingNote = note };
        }

        var gap = GroupingGap.Of(metrics.Validation.Auc, songGrouped.Auc);
        progress?.Invoke($"song-grouped validation AUC {songGrouped.Auc:F4} (gap {gap.AucGap:F4})");
        return metrics with { SongGroupedValidation = songGrouped, ArtistGap = gap };
    }

    /// <summary>Artists are held out when both the validation split and the CV folds of the pool can be artist-grouped fairly.</summary>
    private bool ArtistsCanBeHeldOut(IReadOnlyList<TrainingRow> rows, int[] byArtist)
    {
        if (!GroupedSplit.IsBalanced(rows, byArtist, options.ValidationShare))
        {
            return false;
        }

        var (pool, _) = GroupedSplit.Holdout(rows, byArtist);
        return options.Folds < 2 || GroupedSplit.CanHoldOutArtists(pool, options.Folds, options.Seed + 1);
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

    /// <summary>The held-out metrics and curves (importance comes after, timed on its own) and the probabilities they came from.</summary>
    private static (ModelMetrics Metrics, double[] Probabilities) Evaluate(ModelEvaluator evaluator, IReadOnlyList<TrainingRow> validation, CrossValidationSummary? cv)
    {
        var labels = validation.Select(r => r.Label).ToList();
        var probabilities = evaluator.Predict([.. validation.Select(r => r.Input)]);
        var metrics = BinaryMetrics.Compute(labels, probabilities);
        return (new ModelMetrics(metrics, cv, Curves.Roc(labels, probabilities), Curves.Calibration(labels, probabilities), [])
        {
            PerDecade = DecadeMetrics.Of(validation, probabilities),
        }, probabilities);
    }

    /// <summary>
    /// Permutation importance is measured on at most this many held-out rows, a seeded random sample (the card's
    /// <see cref="RowCounts.ImportanceRows"/> says how many): it scores its rows once per input (31 passes), which
    /// cost more than the fit of the peer-sized model on the real pool's 6,571 held-out songs, and a sample of 5,000
    /// ranks the inputs alike (the top inputs' AUC drops are 0.03–0.06; their sampling error is a few thousandths).
    /// </summary>
    public const int ImportanceSampleRows = 5_000;

    /// <summary>Shuffles one input at a time across the validation songs (or their sample) and measures the AUC lost.</summary>
    private (List<FeatureImportance> Importance, int Rows) PermutationImportance(
        ModelEvaluator evaluator, List<TrainingRow> allValidation, List<bool> allLabels, double allBaseline)
    {
        var sampled = allValidation.Count > ImportanceSampleRows;
        var validation = sampled ? Sample(allValidation, ImportanceSampleRows, options.Seed) : allValidation;
        var labels = sampled ? [.. validation.Select(r => r.Label)] : allLabels;
        var baseline = sampled ? BinaryMetrics.AreaUnderRoc(labels, evaluator.Predict([.. validation.Select(r => r.Input)])) : allBaseline;
        var features = SongModelInput.NumericNames.Select((name, slot) => (name, slot))
            .Concat(SongModelInput.CategoricalNames.Select((name, i) => (name, slot: -1 - i))).ToList();
        // Every input is shuffled by the same seeded permutation, drawn once.
        var random = new Random(options.Seed);
        var order = Enumerable.Range(0, validation.Count).OrderBy(_ => random.Next()).ToArray();
        var originals = validation.Select(r => r.Input).ToList();
        // One pass per input, as many at a time as there are cores (each pass reads the shared, immutable model).
        var result = new FeatureImportance[features.Count];
        Parallel.For(0, features.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, k =>
        {
            var (name, slot) = features[k];
            var inputs = originals.Select(r => r.Clone()).ToList();
            for (var i = 0; i < inputs.Count; i++)
            {
                Permute(inputs[i], originals[order[i]], slot);
            }

            var auc = BinaryMetrics.AreaUnderRoc(labels, evaluator.Predict(inputs));
            result[k] = new FeatureImportance(name, Math.Round(baseline - auc, 6));
        });

        return ([.. result.OrderByDescending(f => f.AucDrop)], validation.Count);
    }

    /// <summary><paramref name="size"/> rows drawn without replacement by a seeded generator, in their original order.</summary>
    private static List<TrainingRow> Sample(List<TrainingRow> rows, int size, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, rows.Count).OrderBy(_ => random.Next()).Take(size).Order().Select(i => rows[i])];
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
