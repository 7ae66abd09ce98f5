using Microsoft.ML;

namespace ChartBuster.Model;

/// <summary>Fits a model on training rows and returns how it scores other rows (probabilities of a hit).</summary>
public delegate Func<IReadOnlyList<TrainingRow>, double[]> Learner(IReadOnlyList<TrainingRow> train);

/// <summary>Out-of-fold predictions of one learner over grouped folds, and their summary.</summary>
public sealed record CrossValidationRun(CrossValidationSummary Summary, double[] OutOfFold);

/// <summary>Grouped k-fold cross-validation and holdout evaluation, for any <see cref="Learner"/>.</summary>
public static class CrossValidation
{
    /// <summary>
    /// The learner of a candidate pipeline: fits it on the rows, scores with the fitted pipeline. Each fit has its
    /// own seeded MLContext, so fits may run in parallel and give the same results as one after another.
    /// </summary>
    /// <param name="threads">When set, the threads of its LightGbm fits instead of the candidate's own (see
    /// <see cref="ModelCandidate.Pipeline"/>): for a fit alone in the process, never for folds fitted side by side.</param>
    public static Learner For(ModelCandidate candidate, ModelFeatures? features = null, int seed = 42, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return train =>
        {
            var ml = new MLContext(seed);
            var model = candidate.Pipeline(ml, features, threads).Fit(ml.Data.LoadFromEnumerable(train.Select(r => r.Input)));
            return rows => ModelTrainer.Predict(ml, model, rows.Select(r => r.Input));
        };
    }

    /// <summary>
    /// Fits the learner once per fold on the other folds and predicts the fold, as many folds at a time as there
    /// are cores (the LightGbm candidates train on one thread each; see <see cref="ModelCandidate.LightGbm"/>).
    /// </summary>
    public static CrossValidationRun Run(IReadOnlyList<TrainingRow> rows, int[] folds, Learner learner, SplitGrouping grouping)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentNullException.ThrowIfNull(learner);
        var count = folds.Max() + 1;
        var outOfFold = new double[rows.Count];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, fold =>
        {
            var heldOut = Enumerable.Range(0, rows.Count).Where(i => folds[i] == fold).ToList();
            var score = learner([.. rows.Where((_, i) => folds[i] != fold)]);
            var predicted = score([.. heldOut.Select(i => rows[i])]);
            for (var k = 0; k < heldOut.Count; k++)
            {
                outOfFold[heldOut[k]] = predicted[k];
            }
        });

        return new CrossValidationRun(Summarise(rows, folds, outOfFold, grouping), outOfFold);
    }

    /// <summary>Fold AUCs (mean and sample sd) and pooled metrics of out-of-fold predictions.</summary>
    public static CrossValidationSummary Summarise(IReadOnlyList<TrainingRow> rows, int[] folds, IReadOnlyList<double> outOfFold, SplitGrouping grouping)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(folds);
        var count = folds.Max() + 1;
        var aucs = Enumerable.Range(0, count).Select(fold =>
        {
            var members = Enumerable.Range(0, rows.Count).Where(i => folds[i] == fold).ToList();
            return BinaryMetrics.AreaUnderRoc([.. members.Select(i => rows[i].Label)], [.. members.Select(i => outOfFold[i])]);
        }).ToList();
        var mean = aucs.Average();
        var sd = Math.Sqrt(aucs.Sum(a => (a - mean) * (a - mean)) / Math.Max(1, aucs.Count - 1));
        return new CrossValidationSummary(count, mean, sd, BinaryMetrics.Compute([.. rows.Select(r => r.Label)], outOfFold))
        {
            Grouping = grouping.ToString().ToLowerInvariant(),
            FoldAucs = [.. aucs.Select(a => Math.Round(a, 6))],
        };
    }

    /// <summary>
    /// Holds out a share of the rows under a grouping, fits the learner on the rest and measures it on the
    /// held-out rows: the same learner under <see cref="SplitGrouping.Artist"/> and <see cref="SplitGrouping.Song"/>
    /// shows how much of its skill is recognising artists (<see cref="GroupingGap"/>).
    /// </summary>
    public static BinaryMetrics Holdout(IReadOnlyList<TrainingRow> rows, Learner learner, SplitGrouping grouping, int share, int seed)
    {
        ArgumentNullException.ThrowIfNull(learner);
        var (train, validation) = GroupedSplit.Holdout(rows, share, seed, grouping);
        return BinaryMetrics.Compute([.. validation.Select(r => r.Label)], learner(train)(validation));
    }
}
