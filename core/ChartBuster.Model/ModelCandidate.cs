using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace ChartBuster.Model;

/// <summary>
/// One trainer with one setting of its parameters, or an ensemble of such members whose probabilities are
/// averaged in logit space. Either way the result is one ML.NET pipeline (one model.zip) that reads
/// <see cref="SongModelInput"/> and writes <see cref="SongModelOutput"/>.
/// </summary>
public sealed record ModelCandidate(string Name, string Trainer, IReadOnlyDictionary<string, double> Parameters)
{
    /// <summary>For <c>Ensemble</c>: the members, each fitted on the shared inputs and its own <see cref="View"/>.</summary>
    public IReadOnlyList<ModelCandidate> Members { get; init; } = [];

    /// <summary>
    /// Derived features this trainer sees beside the shared inputs: null (none), <see cref="DerivedFeatures.DecadeRelativeColumn"/>
    /// or <see cref="DerivedFeatures.InteractionsColumn"/>. Members that see the same songs differently make a better average.
    /// </summary>
    public string? View { get; init; }

    /// <summary>The same setting, also seeing one view of <see cref="DerivedFeatures"/>.</summary>
    public ModelCandidate Seeing(string view) => view is DerivedFeatures.DecadeRelativeColumn or DerivedFeatures.InteractionsColumn
        ? this with { Name = $"{Name}+{view}", View = view }
        : throw new ArgumentException($"Unknown view '{view}'.", nameof(view));

    /// <summary>
    /// The previous full profile's winner (800 trees of 31 leaves at 0.03, 70 % of features per tree, 80 % of rows
    /// per iteration, L2 1), still the best single setting under artist-grouped CV.
    /// </summary>
    public static ModelCandidate Regularised { get; } = LightGbm(leaves: 31, trees: 800, rate: 0.03, featureFraction: 0.7, bagging: 0.8, l2: 1);

    /// <summary>
    /// The full profile: the regularised LightGbm twice, one member seeing the inputs relative to their decade,
    /// the other the interactions, averaged in logit space. Decided by the experiments of issue 13
    /// (bench/model/EXPERIMENTS.md), judged by 5-fold cross-validation grouped by artist: +0.0023 ± 0.0007 and
    /// +0.0026 ± 0.0006 AUC over <see cref="Regularised"/> (two fold assignments), log loss −0.004; no tuning,
    /// other family, third member or calibration beat it by more than its noise.
    /// </summary>
    public static IReadOnlyList<ModelCandidate> Defaults { get; } =
    [
        Ensemble(Regularised.Seeing(DerivedFeatures.DecadeRelativeColumn), Regularised.Seeing(DerivedFeatures.InteractionsColumn)),
    ];

    /// <summary>The candidates of the full profile before issue 13 (kept for comparisons in the experiment log).</summary>
    public static IReadOnlyList<ModelCandidate> Previous { get; } =
    [
        LightGbm(leaves: 31, trees: 500, rate: 0.05),
        LightGbm(leaves: 31, trees: 800, rate: 0.03, featureFraction: 0.7, bagging: 0.8, l2: 1),
        LightGbm(leaves: 63, trees: 600, rate: 0.03, featureFraction: 0.7, bagging: 0.8, l2: 1),
        FastTree(leaves: 20, trees: 500, rate: 0.05),
        FastTree(leaves: 31, trees: 300, rate: 0.1),
    ];

    /// <summary>The public peer's size (500 trees of 31 leaves at 0.05): the <c>single</c> profile.</summary>
    public static ModelCandidate PeerSized { get; } = LightGbm(leaves: 31, trees: 500, rate: 0.05);

    /// <summary>A single small candidate, for smoke runs and pipeline tests where quality is not the point.</summary>
    public static IReadOnlyList<ModelCandidate> Quick { get; } = [LightGbm(leaves: 15, trees: 60, rate: 0.1)];

    /// <summary>
    /// A LightGbm setting. It trains on one thread unless told otherwise: LightGBM's OpenMP threads spin while
    /// they wait for each other, and on a shared machine (a loaded CI runner, two helpers on two cores) two
    /// threads made 5-fold CV 6-12 times slower than one (bench/model/EXPERIMENTS.md); the results are identical.
    /// The trainer's final fit, alone in the process, overrides it with every core (<see cref="Pipeline"/>'s
    /// threads). OpenMP keeps its default wait policy: on an idle 2-core machine PASSIVE made that fit 4x slower (1.8 s →
    /// 7 s, bench/README.md "Training"); the test run, which shares its cores, asks for PASSIVE in test.sh.
    /// </summary>
    public static ModelCandidate LightGbm(
        int leaves, int trees, double rate, int minLeaf = 20, double featureFraction = 1, double bagging = 1, double l2 = 0, double l1 = 0, int threads = 1, int seed = 42) =>
        new($"lightgbm-{leaves}x{trees}-{N(rate)}{(minLeaf != 20 ? $"-min{minLeaf}" : "")}" +
            $"{(featureFraction < 1 || bagging < 1 || l2 > 0 ? $"-ff{N(featureFraction)}-bag{N(bagging)}-l2{N(l2)}" : "")}{(l1 > 0 ? $"-l1{N(l1)}" : "")}{(seed != 42 ? $"-seed{seed}" : "")}",
            "LightGbm", new Dictionary<string, double>
            {
                ["numberOfLeaves"] = leaves, ["numberOfIterations"] = trees, ["learningRate"] = rate, ["minimumExampleCountPerLeaf"] = minLeaf,
                ["featureFraction"] = featureFraction, ["baggingFraction"] = bagging, ["l2Regularization"] = l2, ["l1Regularization"] = l1,
                ["threads"] = threads, ["seed"] = seed,
            });

    public static ModelCandidate FastTree(int leaves, int trees, double rate, int minLeaf = 20, double featureFraction = 1) =>
        new($"fasttree-{leaves}x{trees}-{N(rate)}{(minLeaf != 20 ? $"-min{minLeaf}" : "")}{(featureFraction < 1 ? $"-ff{N(featureFraction)}" : "")}",
            "FastTree", new Dictionary<string, double>
            {
                ["numberOfLeaves"] = leaves, ["numberOfTrees"] = trees, ["learningRate"] = rate, ["minimumExampleCountPerLeaf"] = minLeaf,
                ["featureFraction"] = featureFraction,
            });

    /// <summary>A generalised additive model: one smooth shape per input, summed (no interactions).</summary>
    public static ModelCandidate Gam(int iterations, double rate, int maxBins = 255) =>
        new($"gam-{iterations}-{N(rate)}", "Gam", new Dictionary<string, double>
        {
            ["numberOfIterations"] = iterations, ["learningRate"] = rate, ["maximumBinCountPerFeature"] = maxBins,
        });

    /// <summary>L-BFGS logistic regression on standardised inputs.</summary>
    public static ModelCandidate Logistic(double l2 = 1) =>
        new($"logistic-l2{N(l2)}", "Logistic", new Dictionary<string, double> { ["l2Regularization"] = l2 });

    /// <summary>Members averaged in logit space (the mean of their log-odds, turned back into a probability).</summary>
    public static ModelCandidate Ensemble(params ModelCandidate[] members)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(members.Length, 2);
        var parameters = members.SelectMany((m, i) => m.Parameters.Select(p => ($"{i}.{m.Trainer}.{p.Key}", p.Value)))
            .ToDictionary(p => p.Item1, p => p.Value);
        return new ModelCandidate($"ensemble({string.Join(" + ", members.Select(m => m.Name))})", "Ensemble", parameters) { Members = members };
    }

    /// <summary>
    /// The whole estimator: one-hot categoricals and one shared feature vector, the derived features when a
    /// trainer has a view, then this trainer or these members (calibrated output).
    /// </summary>
    /// <param name="threads">When set, the threads of every LightGbm fit in the pipeline instead of the candidate's own
    /// (the final fit, alone on the machine, takes every core); the trees do not depend on it.</param>
    public IEstimator<ITransformer> Pipeline(MLContext ml, ModelFeatures? features = null, int? threads = null)
    {
        if (threads is { } count && Trainer is "LightGbm" or "Ensemble")
        {
            return WithThreads(count).Pipeline(ml, features);
        }

        var lightGbm = (Members.Count == 0 ? [this] : Members).Where(m => m.Trainer == "LightGbm").ToList();
        var estimator = Estimator(ml, features);
        return lightGbm.Count == 0 ? estimator : new LightGbmFitGate(estimator, alone: lightGbm.Any(m => m.Parameters.GetValueOrDefault("threads") != 1));
    }

    private IEstimator<ITransformer> Estimator(MLContext ml, ModelFeatures? features)
    {
        ArgumentNullException.ThrowIfNull(ml);
        features ??= ModelFeatures.AudioAndDecade;
        var oneHot = features.Categorical.Select(c => new InputOutputColumnPair(c + "OneHot", c)).ToArray();
        IEstimator<ITransformer> chain = ml.Transforms.Concatenate(SharedFeatures, [nameof(SongModelInput.Numeric), .. oneHot.Select(c => c.OutputColumnName)]);
        if (oneHot.Length > 0)
        {
            chain = ml.Transforms.Categorical.OneHotEncoding(oneHot).Append(chain);
        }

        if ((Members.Count == 0 ? [this] : Members).Any(m => m.View is not null))
        {
            chain = chain.Append(DerivedFeatures.Estimator(ml));
        }

        return Members.Count == 0 ? AppendTrainer(ml, chain, "Features") : AppendEnsemble(ml, chain);
    }

    private const string SharedFeatures = "SharedFeatures";

    private ModelCandidate WithThreads(int threads) => Members.Count > 0
        ? this with { Members = [.. Members.Select(m => m.WithThreads(threads))] }
        : Trainer == "LightGbm" ? this with { Parameters = new Dictionary<string, double>(Parameters) { ["threads"] = threads } } : this;

    /// <summary>The trainer on the shared inputs, plus its view when it has one.</summary>
    private EstimatorChain<ITransformer> AppendTrainer(MLContext ml, IEstimator<ITransformer> chain, string featureColumn) =>
        chain.Append(ml.Transforms.Concatenate(featureColumn, View is null ? [SharedFeatures] : [SharedFeatures, View]))
            .Append(CreateTrainer(ml, featureColumn));

    /// <summary>
    /// Each member writes its own Score/Probability (hiding the previous member's), copied aside; then the
    /// average log-odds becomes the Score, its sigmoid the Probability. Probabilities are clipped to
    /// [1e-6, 1 - 1e-6] first so that one certain member cannot dominate the mean.
    /// </summary>
    private EstimatorChain<ExpressionTransformer> AppendEnsemble(MLContext ml, IEstimator<ITransformer> chain)
    {
        var columns = new List<string>();
        foreach (var (member, i) in Members.Select((m, i) => (m, i)))
        {
            columns.Add($"Member{i}Probability");
            chain = member.AppendTrainer(ml, chain, $"Member{i}Features").Append(ml.Transforms.CopyColumns(columns[^1], nameof(SongModelOutput.Probability)));
        }

        var names = Enumerable.Range(0, columns.Count).Select(i => $"p{i}").ToList();
        var logOdds = string.Join(" + ", names.Select(p => $"log(max(min({p}, 0.999999), 0.000001) / (1 - max(min({p}, 0.999999), 0.000001)))"));
        return chain
            .Append(ml.Transforms.Expression(nameof(SongModelOutput.Score), $"({string.Join(", ", names)}) => ({logOdds}) / {columns.Count}", [.. columns]))
            .Append(ml.Transforms.Expression(nameof(SongModelOutput.Probability), "s => 1 / (1 + exp(-s))", nameof(SongModelOutput.Score)))
            .Append(ml.Transforms.Expression(nameof(SongModelOutput.PredictedLabel), string.Create(System.Globalization.CultureInfo.InvariantCulture, $"p => p >= {HitThreshold.Probability}"), nameof(SongModelOutput.Probability)));
    }

    private IEstimator<ITransformer> CreateTrainer(MLContext ml, string featureColumn) => Trainer switch
    {
        "LightGbm" => LightGbmTrainer(ml, featureColumn),
        "FastTree" => ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            FeatureColumnName = featureColumn,
            NumberOfLeaves = (int)Parameters["numberOfLeaves"],
            NumberOfTrees = (int)Parameters["numberOfTrees"],
            LearningRate = Parameters["learningRate"],
            MinimumExampleCountPerLeaf = (int)Parameters["minimumExampleCountPerLeaf"],
            FeatureFraction = Parameters.GetValueOrDefault("featureFraction", 1),
        }),
        "Gam" => ml.BinaryClassification.Trainers.Gam(new GamBinaryTrainer.Options
        {
            FeatureColumnName = featureColumn,
            NumberOfIterations = (int)Parameters["numberOfIterations"],
            LearningRate = Parameters["learningRate"],
            MaximumBinCountPerFeature = (int)Parameters["maximumBinCountPerFeature"],
            Seed = 42,
        }),
        "Logistic" => ml.Transforms.NormalizeMeanVariance("StandardisedFeatures", featureColumn)
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                FeatureColumnName = "StandardisedFeatures",
                L2Regularization = (float)Parameters["l2Regularization"],
            })),
        _ => throw new InvalidOperationException($"Unknown trainer '{Trainer}'."),
    };

    private LightGbmBinaryTrainer LightGbmTrainer(MLContext ml, string featureColumn)
    {
        return ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            FeatureColumnName = featureColumn,
            NumberOfLeaves = (int)Parameters["numberOfLeaves"],
            NumberOfIterations = (int)Parameters["numberOfIterations"],
            LearningRate = Parameters["learningRate"],
            MinimumExampleCountPerLeaf = (int)Parameters["minimumExampleCountPerLeaf"],
            Seed = (int)Parameters.GetValueOrDefault("seed", 42),
            NumberOfThreads = Parameters.GetValueOrDefault("threads") is > 0 and var threads ? (int)threads : null,
            Verbose = false,
            Silent = true,
            Booster = new GradientBooster.Options
            {
                FeatureFraction = Parameters["featureFraction"],
                SubsampleFraction = Parameters["baggingFraction"],
                SubsampleFrequency = Parameters["baggingFraction"] < 1 ? 1 : 0,
                L2Regularization = Parameters["l2Regularization"],
                L1Regularization = Parameters.GetValueOrDefault("l1Regularization"),
            },
        });
    }

    private static string N(double value) => value.ToString(CultureInfo.InvariantCulture);
}
