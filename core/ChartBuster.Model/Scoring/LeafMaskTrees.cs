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

    /// <summary>The most rows of a block (its features are laid out <see cref="BlockRows"/> apart).</summary>
    public const int BlockRows = 64;

    /// <summary>Each tree's first split in <see cref="_splits"/>, and after the last tree their count.</summary>
    private readonly int[] _splitStarts;
    private readonly MaskSplit[] _splits;

    /// <summary>Each tree's first leaf in <see cref="_leaves"/>; a tree's leaves are in left-to-right order.</summary>
    private readonly int[] _leafStarts;
    private readonly double[] _leaves;

    private LeafMaskTrees(int[] splitStarts, MaskSplit[] splits, int[] leafStarts, double[] leaves, int featuresRead) =>
        (_splitStarts, _splits, _leafStarts, _leaves, FeaturesRead) = (splitStarts, splits, leafStarts, leaves, featuresRead);

    /// <summary>The features a block must hold: one more than the highest a split reads.</summary>
    public int FeaturesRead { get; }

    /// <summary>Whether this CPU runs the evaluation (AVX2); elsewhere the ensemble is walked.</summary>
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>The trees as leaf masks; null when a tree has more than <see cref="MaxLeaves"/> leaves or a categorical split.</summary>
    public static LeafMaskTrees? TryCreate(IEnumerable<TreeShape> trees)
    {
        var (splitStarts, splits, leafStarts, leaves) = (new List<int>(), new List<MaskSplit>(), new List<int>(), new List<double>());
        foreach (var tree in trees)
        {
            splitStarts.Add(splits.Count);
            leafStarts.Add(leaves.Count);
            if (!tree.HasSplits)
            {
                leaves.Add(0); // ML.NET scores a tree without splits as 0, whatever its single leaf holds
                continue;
            }

            if (tree.Leaves.Count > MaxLeaves || tree.HasCategoricalSplits)
            {
                return null;
            }

            AddSubtree(tree, 0, splits, leaves, leafStarts[^1]);
        }

        splitStarts.Add(splits.Count);
        return new LeafMaskTrees([.. splitStarts], [.. splits], [.. leafStarts], [.. leaves], (splits.Count == 0 ? 0 : splits.Max(s => s.Offset) / BlockRows) + 1);
    }

    /// <summary>
    /// Adds the trees' sums for a block of <paramref name="rows"/> rows to <paramref name="sums"/> (room for the rows
    /// rounded up to whole groups). <paramref name="features"/> holds the block feature by feature: feature f of row r
    /// at f × <see cref="BlockRows"/> + r; the values of rows past the block's end are read but not used.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe void Evaluate(ReadOnlySpan<float> features, int rows, Span<double> sums)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("Leaf masks need AVX2.");
        }

        var groups = (rows + GroupRows - 1) / GroupRows;
        if (rows is < 0 or > BlockRows || features.Length < FeaturesRead * BlockRows || sums.Length < groups * GroupRows)
        {
            throw new ArgumentException($"A block is at most {BlockRows} rows of {FeaturesRead} features laid out feature by feature, with room for its sums.", nameof(rows));
        }

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
                var group = 0;
                for (; group + 4 <= groups; group += 4)
                {
                    var rowsAt = block + (group * GroupRows);
                    var (a, b, c, d) = (Vector256<uint>.AllBitsSet, Vector256<uint>.AllBitsSet, Vector256<uint>.AllBitsSet, Vector256<uint>.AllBitsSet);
                    for (var split = first; split < end; split++)
                    {
                        var values = rowsAt + split->Offset;
                        var (threshold, left) = (Vector256.Create(split->Threshold), Vector256.Create(split->LeftLeaves));
                        a = ClearLeft(Right(values, threshold), left, a);
                        b = ClearLeft(Right(values + GroupRows, threshold), left, b);
                        c = ClearLeft(Right(values + (2 * GroupRows), threshold), left, c);
                        d = ClearLeft(Right(values + (3 * GroupRows), threshold), left, d);
                    }

                    var at = sum + (group * GroupRows);
                    AddLeaves(treeLeaves, a, at);
                    AddLeaves(treeLeaves, b, at + GroupRows);
                    AddLeaves(treeLeaves, c, at + (2 * GroupRows));
                    AddLeaves(treeLeaves, d, at + (3 * GroupRows));
                }

                for (; group < groups; group++)
                {
                    var rowsAt = block + (group * GroupRows);
                    var candidates = Vector256<uint>.AllBitsSet;
                    for (var split = first; split < end; split++)
                    {
                        candidates = ClearLeft(Right(rowsAt + split->Offset, Vector256.Create(split->Threshold)), Vector256.Create(split->LeftLeaves), candidates);
                    }

                    AddLeaves(treeLeaves, candidates, sum + (group * GroupRows));
                }
            }
        }
    }

    /// <summary>All bits set in each row that goes right: not value ≤ threshold (NaN goes right).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<uint> Right(float* values, Vector256<float> threshold) =>
        Avx.Compare(threshold, Avx.LoadVector256(values), FloatComparisonMode.UnorderedNotGreaterThanOrEqualNonSignaling).AsUInt32();

    /// <summary>
    /// The candidates without the split's left leaves where the row goes right: one ternary-logic instruction where the
    /// CPU has AVX-512 (0x2A: candidates and not (right and left)), two with AVX2 alone.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> ClearLeft(Vector256<uint> right, Vector256<uint> left, Vector256<uint> candidates) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.TernaryLogic(right, left, candidates, 0x2A) : Avx2.AndNot(right & left, candidates);

    /// <summary>Adds each row's leaf, the lowest bit left in its mask, to its sum.</summary>
    /// <remarks>The bit's index is read off the exponent of the bit converted to a float (bit 31 converts as a negative).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void AddLeaves(double* treeLeaves, Vector256<uint> candidates, double* sums)
    {
        var lowest = candidates & (Vector256<uint>.Zero - candidates);
        var exponent = Avx2.ShiftRightLogical(Avx.ConvertToVector256Single(lowest.AsInt32()).AsInt32(), 23) & Vector256.Create(0xFF);
        var leaf = exponent - Vector256.Create(127);
        Avx.Store(sums, Avx.Add(Avx.LoadVector256(sums), Avx2.GatherVector256(treeLeaves, leaf.GetLower(), 8)));
        Avx.Store(sums + 4, Avx.Add(Avx.LoadVector256(sums + 4), Avx2.GatherVector256(treeLeaves, leaf.GetUpper(), 8)));
    }

    /// <summary>Adds a subtree's splits (each with the mask of its left subtree's leaves) and its leaves in left-to-right order; returns its leaf count.</summary>
    private static int AddSubtree(TreeShape tree, int child, List<MaskSplit> splits, List<double> leaves, int treeFirstLeaf)
    {
        if (child < 0)
        {
            leaves.Add(tree.Leaves[~child]);
            return 1;
        }

        var index = splits.Count;
        splits.Add(default);
        var firstLeaf = leaves.Count - treeFirstLeaf;
        var left = AddSubtree(tree, tree.Left[child], splits, leaves, treeFirstLeaf);
        var leftLeaves = (uint)(((1UL << left) - 1) << firstLeaf);
        splits[index] = new MaskSplit(tree.Features[child] * BlockRows, tree.Thresholds[child], leftLeaves);
        return left + AddSubtree(tree, tree.Right[child], splits, leaves, treeFirstLeaf);
    }

    /// <summary>A tree as ML.NET lays it out: split 0 the root, a child ≥ 0 a split, ~ a leaf's index; the splits numerical.</summary>
    internal sealed record TreeShape(IReadOnlyList<int> Left, IReadOnlyList<int> Right, IReadOnlyList<int> Features, IReadOnlyList<float> Thresholds, IReadOnlyList<double> Leaves, bool HasCategoricalSplits = false)
    {
        /// <summary>False for a tree of one leaf (ML.NET keeps no split, or a root whose left child is itself).</summary>
        public bool HasSplits => Left.Count > 0 && Left[0] != 0;

        public static TreeShape Of(RegressionTreeBase tree) =>
            new(tree.LeftChild, tree.RightChild, tree.NumericalSplitFeatureIndexes, tree.NumericalSplitThresholds, tree.LeafValues, tree.CategoricalSplitFlags.Any(c => c));
    }

    /// <summary>A split: where its feature's values start in a block, its threshold, and the leaves of its left subtree (cleared when a row goes right).</summary>
    private readonly record struct MaskSplit(int Offset, float Threshold, uint LeftLeaves);
}
