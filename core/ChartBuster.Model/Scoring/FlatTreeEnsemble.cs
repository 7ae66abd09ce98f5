using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML.Trainers.FastTree;

namespace ChartBuster.Model.Scoring;

/// <summary>
/// A trained tree ensemble (LightGbm or FastTree, as ML.NET exposes it) flattened into arrays, evaluated the way
/// ML.NET evaluates it: at a numerical split a feature value at most the threshold goes left (a missing value first
/// replaced by the node's default when the tree has defaults); at a categorical split any listed feature above 0
/// goes right; the output is the sum of the leaves reached, tree by tree, in double. Rows are evaluated in blocks: by
/// <see cref="LeafMaskTrees"/> (eight rows per vector comparison) where the trees fit them and the CPU has AVX2;
/// otherwise by walking all rows of a block through one tree at a time in step, so that the CPU overlaps their
/// independent paths instead of waiting on one path's chain of loads and unpredictable branches. Rows that need the
/// trees' missing-value defaults, and every row of an ensemble with categorical splits, are walked node by node.
/// </summary>
internal sealed class FlatTreeEnsemble
{
    private const int Block = 64;

    /// <summary>Each tree's first node: an internal node's index, or a leaf (~its index in <see cref="_leafValues"/>) for a tree without splits.</summary>
    private readonly int[] _roots;
    private readonly Node[] _nodes;
    private readonly double[] _leafValues;
    private readonly float[]? _defaultForMissing;
    private readonly int[]?[] _categoricalFeatures;

    private bool _usesLeafMasks;

    private FlatTreeEnsemble(int[] roots, Node[] nodes, double[] leafValues, float[]? defaults, int[]?[] categorical, LeafMaskTrees? leafMasks)
    {
        (_roots, _nodes, _leafValues, _defaultForMissing, _categoricalFeatures) = (roots, nodes, leafValues, defaults, categorical);
        LeafMasks = leafMasks;
        UsesLeafMasks = true;
        HasCategoricalSplits = categorical.Any(c => c is not null);
        FeaturesRead = Math.Max(nodes.Select(n => n.Feature).DefaultIfEmpty(-1).Max(), categorical.Where(c => c is not null).SelectMany(c => c!).DefaultIfEmpty(-1).Max()) + 1;
    }

    public int Trees => _roots.Length;

    /// <summary>The trees as leaf masks, or null when a tree is too large for them or has a categorical split.</summary>
    public LeafMaskTrees? LeafMasks { get; }

    /// <summary>
    /// Whether rows are summed by the <see cref="LeafMasks"/> (when there are masks and the CPU has AVX2) rather than
    /// walked through the trees in step; the two give the same sums, and tests switch the masks off to compare.
    /// </summary>
    public bool UsesLeafMasks
    {
        get => _usesLeafMasks;
        set => _usesLeafMasks = value && LeafMasks is not null && LeafMaskTrees.IsSupported;
    }

    public bool HasCategoricalSplits { get; }

    /// <summary>The most feature slots any split reads (the feature vector must be at least this wide).</summary>
    public int FeaturesRead { get; }

    /// <summary>
    /// Flattens an ensemble; null with the reason when it holds something this evaluator does not reproduce. Only
    /// splits are nodes (16 bytes each, all trees in one array: the single profile's 500 trees fit in 240 KB); a child
    /// is the index of a split, or ~ the index of a leaf value.
    /// </summary>
    public static FlatTreeEnsemble? TryFlatten(RegressionTreeEnsemble ensemble, out string reason)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        var (roots, nodes, leaves) = (new List<int>(), new List<Node>(), new List<double>());
        var (categorical, defaults) = (new List<int[]?>(), new List<float>());
        var anyDefaults = false;
        foreach (var tree in ensemble.Trees)
        {
            if (tree.LeftChild.Count == 0 || tree.LeftChild[0] == 0)
            {
                // ML.NET scores a tree without splits as 0, whatever its single leaf holds.
                roots.Add(~leaves.Count);
                leaves.Add(0);
                continue;
            }

            if (!TryReadDefaults(tree, out var treeDefaults))
            {
                reason = "the missing-value defaults of a tree cannot be read";
                return null;
            }

            var (root, firstLeaf) = (nodes.Count, leaves.Count);
            int Place(int child) => child >= 0 ? root + child : ~(firstLeaf + ~child);
            roots.Add(root);
            for (var n = 0; n < tree.NumberOfNodes; n++)
            {
                nodes.Add(new Node(tree.NumericalSplitFeatureIndexes[n], tree.NumericalSplitThresholds[n], Place(tree.LeftChild[n]), Place(tree.RightChild[n])));
                categorical.Add(tree.CategoricalSplitFlags[n] ? [.. tree.GetCategoricalSplitFeaturesAt(n)] : null);
                defaults.Add(treeDefaults?[n] ?? float.NaN);
                anyDefaults |= treeDefaults is not null;
            }

            leaves.AddRange(tree.LeafValues);
        }

        reason = "";
        return new FlatTreeEnsemble([.. roots], [.. nodes], [.. leaves], anyDefaults ? [.. defaults] : null, [.. categorical], LeafMaskTrees.TryCreate(ensemble.Trees.Select(LeafMaskTrees.TreeShape.Of)));
    }

    /// <summary>
    /// Sums the trees for <paramref name="rows"/> rows whose features start at <paramref name="offset"/> of each
    /// <paramref name="stride"/>-wide frame; adds to <paramref name="sums"/>.
    /// </summary>
    /// <param name="missing">Per row, whether one of its features is NaN: only such a row needs the trees' missing-value
    /// defaults, so only it is walked node by node (a song of unknown decade has NaN decade-relative features).</param>
    /// <remarks>This and the walks are compiled optimised at once (AggressiveOptimization): a short process such as
    /// <c>train</c> (its permutation importance) otherwise ran most of its tree evaluation in the unoptimised first tier.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Evaluate(ReadOnlySpan<float> frames, int stride, int offset, int rows, Span<double> sums, ReadOnlySpan<bool> missing)
    {
        if (UsesLeafMasks)
        {
            EvaluateByLeafMasks(frames, stride, offset, rows, sums, missing);
            return;
        }

        Span<int> positions = stackalloc int[Block];
        Span<int> walking = stackalloc int[Block];
        Span<int> plainRows = stackalloc int[Block];
        Span<int> carefulRows = stackalloc int[Block];
        for (var first = 0; first < rows; first += Block)
        {
            var count = Math.Min(Block, rows - first);
            var block = frames.Slice((first * stride) + offset);
            var blockSums = sums.Slice(first, count);
            var at = positions[..count];
            var (plain, careful) = (0, 0);
            for (var r = 0; r < count; r++)
            {
                if (NeedsCarefulWalk(missing[first + r]))
                {
                    carefulRows[careful++] = r;
                }
                else
                {
                    plainRows[plain++] = r;
                }
            }

            foreach (var root in _roots)
            {
                at.Fill(root);
                Descend(block, stride, at, plainRows[..plain], walking);
                foreach (var r in carefulRows[..careful])
                {
                    at[r] = DescendCarefully(block.Slice(r * stride), root);
                }

                for (var r = 0; r < count; r++)
                {
                    blockSums[r] += _leafValues[~at[r]];
                }
            }
        }
    }

    /// <summary>
    /// Blocks of rows by <see cref="LeafMasks"/>: a block's features are laid out feature by feature (so that a
    /// split reads eight rows' values in one load), every tree summed over the block, and the rows that need the
    /// missing-value defaults walked node by node instead.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EvaluateByLeafMasks(ReadOnlySpan<float> frames, int stride, int offset, int rows, Span<double> sums, ReadOnlySpan<bool> missing)
    {
        const int block = LeafMaskTrees.BlockRows;
        var masks = LeafMasks!;
        var features = masks.FeaturesRead;
        var buffer = features * block <= 16_384 ? null : new float[features * block];
        var byFeature = buffer ?? stackalloc float[features * block];
        byFeature.Clear(); // a short block's missing rows are compared too (zeros, or earlier rows' values) but not used
        Span<double> blockSums = stackalloc double[block];
        for (var first = 0; first < rows; first += block)
        {
            var count = Math.Min(block, rows - first);
            var frame = frames.Slice((first * stride) + offset);
            for (var r = 0; r < count; r++)
            {
                var row = frame.Slice(r * stride, features);
                for (var f = 0; f < row.Length; f++)
                {
                    byFeature[(f * block) + r] = row[f];
                }
            }

            blockSums.Clear();
            masks.Evaluate(byFeature, count, blockSums);
            for (var r = 0; r < count; r++)
            {
                sums[first + r] += NeedsCarefulWalk(missing[first + r]) ? SumCarefully(frame.Slice(r * stride)) : blockSums[r];
            }
        }
    }

    private bool NeedsCarefulWalk(bool missing) => HasCategoricalSplits || (_defaultForMissing is not null && missing);

    /// <summary>One row through every tree node by node, summed in tree order as ML.NET sums.</summary>
    private double SumCarefully(ReadOnlySpan<float> row)
    {
        var sum = 0.0;
        foreach (var root in _roots)
        {
            sum += _leafValues[~DescendCarefully(row, root)];
        }

        return sum;
    }

    /// <summary>
    /// The plain case (numerical splits, a missing value compared as it is, so NaN goes right, as ML.NET does for a
    /// tree without defaults): each sweep moves every row still inside the tree one level down, the child chosen by
    /// arithmetic rather than a branch the CPU would mispredict half the time, and keeps only the rows that did not
    /// reach a leaf (compacted without a branch). The rows' paths are independent, so the CPU overlaps their loads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Descend(ReadOnlySpan<float> block, int stride, Span<int> at, ReadOnlySpan<int> plainRows, Span<int> walking)
    {
        if (plainRows.IsEmpty || at[plainRows[0]] < 0)
        {
            return; // no rows, or a tree without splits
        }

        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref var features = ref MemoryMarshal.GetReference(block);
        ref var position = ref MemoryMarshal.GetReference(at);
        ref var rows = ref MemoryMarshal.GetReference(walking);
        plainRows.CopyTo(walking);
        var count = plainRows.Length;
        while (count > 0)
        {
            var kept = 0;
            for (var i = 0; i < count; i++)
            {
                var r = Unsafe.Add(ref rows, i);
                ref var node = ref Unsafe.Add(ref nodes, Unsafe.Add(ref position, r));
                var value = Unsafe.Add(ref features, (r * stride) + node.Feature);
                var right = !(value <= node.Threshold);
                var next = Unsafe.Add(ref node.Left, Unsafe.As<bool, byte>(ref right));
                Unsafe.Add(ref position, r) = next;
                Unsafe.Add(ref rows, kept) = r;
                kept += (int)((uint)~next >> 31); // 1 while the row is still at a split (next >= 0)
            }

            count = kept;
        }
    }

    /// <summary>One row through one tree node by node as ML.NET does (missing-value defaults, categorical splits); returns ~ its leaf.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int DescendCarefully(ReadOnlySpan<float> row, int position)
    {
        while (position >= 0)
        {
            var node = _nodes[position];
            if (_categoricalFeatures[position] is { } listed)
            {
                var next = node.Left;
                foreach (var index in listed)
                {
                    if (ValueAt(row, index, position) > 0)
                    {
                        next = node.Right;
                        break;
                    }
                }

                position = next;
            }
            else
            {
                position = ValueAt(row, node.Feature, position) <= node.Threshold ? node.Left : node.Right;
            }
        }

        return position;
    }

    private float ValueAt(ReadOnlySpan<float> row, int index, int node)
    {
        var value = row[index];
        return float.IsNaN(value) && _defaultForMissing is { } defaults && !float.IsNaN(defaults[node]) ? defaults[node] : value;
    }

    /// <summary>A split: the feature read, its threshold, the children side by side (a split's index, or ~ a leaf's).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Node(int feature, float threshold, int left, int right)
    {
        public int Feature = feature;
        public float Threshold = threshold;
        public int Left = left;
        public int Right = right;
    }

    /// <summary>
    /// ML.NET keeps a tree's missing-value defaults (LightGbm trees trained on data with missing values) only on its
    /// internal tree; this reads them there. Null when the tree has none; false when they cannot be read, which makes the
    /// model fall back to ML.NET rather than risk a different answer.
    /// </summary>
    private static bool TryReadDefaults(RegressionTreeBase tree, out float[]? defaults)
    {
        defaults = null;
        var inner = typeof(RegressionTreeBase).GetField("_tree", BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(tree);
        var field = inner?.GetType().GetField("DefaultValueForMissing", BindingFlags.Public | BindingFlags.Instance);
        if (field is null)
        {
            return false;
        }

        defaults = (float[]?)field.GetValue(inner);
        return true;
    }
}
