using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Microsoft.ML.Trainers.FastTree;

namespace ChartBuster.Model.Scoring;

/// <summary>
/// The trees of an ensemble as leaf masks (QuickScorer's layout), evaluated for eight rows at once with AVX2. A tree's
/// leaves are numbered left to right, and a row's candidate leaves are a 32-bit mask, all set at first. Every split
/// is tested for eight rows in one vector comparison, whatever their paths; where a row goes right, the leaves of the
/// split's left subtree are cleared from its mask. The leaf the row reaches is then the lowest bit still set: every
/// split that sends it right has cleared the leaves before it, and no split on its path clears it. So a tree costs a
/// fixed run of comparisons per eight rows, without a branch or a dependent load, instead of a walk per row.
/// A split goes right exactly when ML.NET's does for a row without missing values or a tree without missing-value
/// defaults (not value ≤ threshold: NaN goes right); the caller walks other rows node by node.
/// </summary>
internal sealed class LeafMaskTrees
{
    /// <summary>The most leaves a tree may have here (one bit each); a larger tree keeps the ensemble on the walk.</summary>
    public const int MaxLeaves = 32;

    /// <summary>Rows compared at once (one 256-bit vector of floats).</summary>
    public const int GroupRows = 8;

    /// <summary>Each tree's first split in <see cref="_splits"/>, and after the last tree their count.</summary>
    private readonly int[] _splitStarts;
    private readonly MaskSplit[] _splits;

    /// <summary>Each tree's first leaf in <see cref="_leaves"/>; a tree's leaves are in left-to-right order.</summary>
    private readonly int[] _leafStarts;
    private readonly double[] _leaves;

    private LeafMaskTrees(int[] splitStarts, MaskSplit[] splits, int[] leafStarts, double[] leaves) =>
        (_splitStarts, _splits, _leafStarts, _leaves) = (splitStarts, splits, leafStarts, leaves);

    /// <summary>Whether this CPU runs the evaluation (AVX2); elsewhere the ensemble is walked.</summary>
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>The ensemble as leaf masks; null when a tree has more than <see cref="MaxLeaves"/> leaves or a categorical split.</summary>
    public static LeafMaskTrees? TryCreate(RegressionTreeEnsemble ensemble)
    {
        var (splitStarts, splits, leafStarts, leaves) = (new List<int>(), new List<MaskSplit>(), new List<int>(), new List<double>());
        foreach (var tree in ensemble.Trees)
        {
            splitStarts.Add(splits.Count);
            leafStarts.Add(leaves.Count);
            if (tree.LeftChild.Count == 0 || tree.LeftChild[0] == 0)
            {
                leaves.Add(0); // ML.NET scores a tree without splits as 0, whatever its single leaf holds
                continue;
            }

            if (tree.NumberOfLeaves > MaxLeaves || tree.CategoricalSplitFlags.Any(c => c))
            {
                return null;
            }

            AddSubtree(tree, 0, splits, leaves, leafStarts[^1]);
        }

        splitStarts.Add(splits.Count);
        return new LeafMaskTrees([.. splitStarts], [.. splits], [.. leafStarts], [.. leaves]);
    }

    /// <summary>
    /// Adds the tree's sums for the rows of a block to <paramref name="sums"/>. <paramref name="features"/> holds the
    /// block feature by feature: feature f of row r at f × <paramref name="width"/> + r, <paramref name="width"/> a
    /// multiple of <see cref="GroupRows"/> (rows past the block's end padded with anything finite).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe void Evaluate(ReadOnlySpan<float> features, int width, Span<double> sums)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("Leaf masks need AVX2.");
        }

        if (width % GroupRows != 0 || features.Length < width || sums.Length < width)
        {
            throw new ArgumentException($"A block of {width} rows is not a whole number of {GroupRows}-row groups with room for its sums.", nameof(width));
        }

        var ones = Vector256<uint>.AllBitsSet;
        var bias = Vector256.Create(127);
        fixed (float* block = features)
        fixed (double* sum = sums)
        fixed (double* leaves = _leaves)
        fixed (MaskSplit* splits = _splits)
        {
            for (var tree = 0; tree < _leafStarts.Length; tree++)
            {
                var first = splits + _splitStarts[tree];
                var end = splits + _splitStarts[tree + 1];
                var treeLeaves = leaves + _leafStarts[tree];
                for (var group = 0; group < width; group += GroupRows)
                {
                    var candidates = ones;
                    for (var split = first; split < end; split++)
                    {
                        var values = Avx.LoadVector256(block + (split->Feature * width) + group);
                        var right = Avx.Compare(values, Vector256.Create(split->Threshold), FloatComparisonMode.UnorderedNotLessThanOrEqualNonSignaling).AsUInt32();
                        candidates = Avx2.AndNot(right & Vector256.Create(split->LeftLeaves), candidates);
                    }

                    // The lowest set bit's index, read off the exponent of the bit converted to a float (bit 31 converts as a negative).
                    var lowest = candidates & (Vector256<uint>.Zero - candidates);
                    var exponent = Avx2.ShiftRightLogical(Avx.ConvertToVector256Single(lowest.AsInt32()).AsInt32(), 23) & Vector256.Create(0xFF);
                    var leaf = exponent - bias;
                    var at = sum + group;
                    Avx.Store(at, Avx.Add(Avx.LoadVector256(at), Avx2.GatherVector256(treeLeaves, leaf.GetLower(), 8)));
                    Avx.Store(at + 4, Avx.Add(Avx.LoadVector256(at + 4), Avx2.GatherVector256(treeLeaves, leaf.GetUpper(), 8)));
                }
            }
        }
    }

    /// <summary>Adds a subtree's splits (each with the mask of its left subtree's leaves) and its leaves in left-to-right order; returns its leaf count.</summary>
    private static int AddSubtree(RegressionTreeBase tree, int child, List<MaskSplit> splits, List<double> leaves, int treeFirstLeaf)
    {
        if (child < 0)
        {
            leaves.Add(tree.LeafValues[~child]);
            return 1;
        }

        var index = splits.Count;
        splits.Add(default);
        var firstLeaf = leaves.Count - treeFirstLeaf;
        var left = AddSubtree(tree, tree.LeftChild[child], splits, leaves, treeFirstLeaf);
        var leftLeaves = (uint)(((1UL << left) - 1) << firstLeaf);
        splits[index] = new MaskSplit(tree.NumericalSplitFeatureIndexes[child], tree.NumericalSplitThresholds[child], leftLeaves);
        return left + AddSubtree(tree, tree.RightChild[child], splits, leaves, treeFirstLeaf);
    }

    /// <summary>A split: the feature it reads, its threshold, and the leaves of its left subtree (cleared when a row goes right).</summary>
    private readonly record struct MaskSplit(int Feature, float Threshold, uint LeftLeaves);
}
