using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace ChartBuster.Model;

/// <summary>One trainer with one setting of its parameters.</summary>
public sealed record ModelCandidate(string Name, string Trainer, IReadOnlyDictionary<string, double> Parameters)
{
    /// <summary>
    /// The candidates tried by default: the public peer's setting (LightGbm 500 trees of 31 leaves at 0.05,
    /// AUC 0.891 on unseen songs), two regularized LightGbm settings (70 % of features per tree, 80 % of rows
    /// per iteration, L2 1: +0.003 CV AUC on the real pool in a 5-fold search), and FastTree as a second
    /// family. Each is scored by 5-fold cross-validation on the training pool.
    /// </summary>
    public static IReadOnlyList<ModelCandidate> Defaults { get; } =
    [
        LightGbm(leaves: 31, trees: 500, rate: 0.05),
        LightGbm(leaves: 31, trees: 800, rate: 0.03, featureFraction: 0.7, bagging: 0.8, l2: 1),
        LightGbm(leaves: 63, trees: 600, rate: 0.03, featureFraction: 0.7, bagging: 0.8, l2: 1),
        FastTree(leaves: 20, trees: 500, rate: 0.05),
        FastTree(leaves: 31, trees: 300, rate: 0.1),
    ];

    /// <summary>A single small candidate, for smoke runs and pipeline tests where quality is not the point.</summary>
    public static IReadOnlyList<ModelCandidate> Quick { get; } = [LightGbm(leaves: 15, trees: 60, rate: 0.1)];

    public static ModelCandidate LightGbm(
        int leaves, int trees, double rate, int minLeaf = 20, double featureFraction = 1, double bagging = 1, double l2 = 0) =>
        new($"lightgbm-{leaves}x{trees}-{rate}{(featureFraction < 1 || bagging < 1 || l2 > 0 ? $"-ff{featureFraction}-bag{bagging}-l2{l2}" : "")}",
            "LightGbm", new Dictionary<string, double>
            {
                ["numberOfLeaves"] = leaves, ["numberOfIterations"] = trees, ["learningRate"] = rate, ["minimumExampleCountPerLeaf"] = minLeaf,
                ["featureFraction"] = featureFraction, ["baggingFraction"] = bagging, ["l2Regularization"] = l2,
            });

    public static ModelCandidate FastTree(int leaves, int trees, double rate, int minLeaf = 20) =>
        new($"fasttree-{leaves}x{trees}-{rate}", "FastTree", new Dictionary<string, double>
        {
            ["numberOfLeaves"] = leaves, ["numberOfTrees"] = trees, ["learningRate"] = rate, ["minimumExampleCountPerLeaf"] = minLeaf,
        });

    /// <summary>The whole estimator: one-hot categoricals, one feature vector, this trainer (calibrated output).</summary>
    public IEstimator<ITransformer> Pipeline(MLContext ml)
    {
        ArgumentNullException.ThrowIfNull(ml);
        return ml.Transforms.Categorical.OneHotEncoding(
            [
                new InputOutputColumnPair("KeyOneHot", nameof(SongModelInput.Key)),
                new InputOutputColumnPair("ModeOneHot", nameof(SongModelInput.Mode)),
                new InputOutputColumnPair("TimeSignatureOneHot", nameof(SongModelInput.TimeSignature)),
                new InputOutputColumnPair("DecadeOneHot", nameof(SongModelInput.Decade)),
            ])
            .Append(ml.Transforms.Concatenate("Features", nameof(SongModelInput.Numeric), "KeyOneHot", "ModeOneHot", "TimeSignatureOneHot", "DecadeOneHot"))
            .Append(CreateTrainer(ml));
    }

    private IEstimator<ITransformer> CreateTrainer(MLContext ml)
    {
        var leaves = (int)Parameters["numberOfLeaves"];
        var rate = Parameters["learningRate"];
        var minLeaf = (int)Parameters["minimumExampleCountPerLeaf"];
        return Trainer switch
        {
            "LightGbm" => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                NumberOfLeaves = leaves,
                NumberOfIterations = (int)Parameters["numberOfIterations"],
                LearningRate = rate,
                MinimumExampleCountPerLeaf = minLeaf,
                Seed = 42,
                Verbose = false,
                Silent = true,
                Booster = new GradientBooster.Options
                {
                    FeatureFraction = Parameters["featureFraction"],
                    SubsampleFraction = Parameters["baggingFraction"],
                    SubsampleFrequency = Parameters["baggingFraction"] < 1 ? 1 : 0,
                    L2Regularization = Parameters["l2Regularization"],
                },
            }),
            "FastTree" => ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                NumberOfLeaves = leaves,
                NumberOfTrees = (int)Parameters["numberOfTrees"],
                LearningRate = rate,
                MinimumExampleCountPerLeaf = minLeaf,
            }),
            _ => throw new InvalidOperationException($"Unknown trainer '{Trainer}'."),
        };
    }
}
