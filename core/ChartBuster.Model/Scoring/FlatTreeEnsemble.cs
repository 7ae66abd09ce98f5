using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML.Trainers.FastTree;

namespace ChartBuster.Model.Scoring;

/// <summary>
/// A trained tree ensemble (LightGbm or FastTree, as ML.NET exposes it) flattened into arrays, evaluated the way
/// ML.NET evaluates it: at a numerical split a feature value at most the threshold goes left (a missing value first
/// replaced by the node's default when the tree has defaults); at a categorical split any listed feature above 0
/// goes right; the output is the sum of the leaves reached, tree by tree, in double. Rows are evaluated in blocks,
/// all rows of a block through one tree at a time in step, so that the CPU overlaps their independent paths instead
/// of waiting on one path's chain of loads and unpredictable branches.
/// </summary>
internal sealed class FlatTreeEnsemble
{
    private readonly int[] _roots;
    private readonly int[] _firstLeaves;
    private readonly Node[] _nodes;
    private readonly double[] _values;
    private readonly float[]? _defaultForMissing;
    private readonly int[]?[] _categoricalFeatures;

    private FlatTreeEnsemble(int[] roots, int[] firstLeaves, Node[] nodes, double[] values, float[]? defaults, int[]?[] categorical)
    {
        (_roots, _firstLeaves, _nodes, _values, _defaultForMissing, _categoricalFeatures) = (roots, firstLeaves, nodes, values, defaults, categorical);
        HasCategoricalSplits = categorical.Any(c => c is not null);
        FeaturesRead = Math.Max(nodes.Select(n => n.Feature).DefaultIfEmpty(-1).Max(), categorical.Where(c => c is not null).SelectMany(c => c!).DefaultIfEmpty(-1).Max()) + 1;
    }

    public int Trees => _roots.Length;

    public bool HasCategoricalSplits { get; }

    /// <summary>The most feature slots any split reads (the feature vector must be at least this wide).</summary>
    public int FeaturesRead { get; }

    /// <summary>
    /// Flattens an ensemble; null with the reason when it holds something this evaluator does not reproduce. Leaves
    /// become nodes too, whose both children are themselves (a row that reached one stays there), so that every row of a
    /// block can take exactly the tree's depth in steps with no test for having arrived.
    /// </summary>
    public static FlatTreeEnsemble? TryFlatten(RegressionTreeEnsemble ensemble, out string reason)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        var (roots, firstLeaves, nodes, values) = (new List<int>(), new List<int>(), new List<Node>(), new List<double>());
        var (categorical, defaults) = (new List<int[]?>(), new List<float>());
        var anyDefaults = false;
        foreach (var tree in ensemble.Trees)
        {
            var root = nodes.Count;
            roots.Add(root);
            if (tree.LeftChild.Count == 0 || tree.LeftChild[0] == 0)
            {
                // ML.NET scores a tree without splits as 0, whatever its single leaf holds.
                firstLeaves.Add(root);
                AddLeaf(nodes, values, categorical, defaults, 0);
                continue;
            }

            if (!TryReadDefaults(tree, out var treeDefaults))
            {
                reason = "the missing-value defaults of a tree cannot be read";
                return null;
            }

            var internals = tree.NumberOfNodes;
            int Place(int child) => child >= 0 ? root + child : root + internals + ~child;
            for (var n = 0; n < internals; n++)
            {
                nodes.Add(new Node(tree.NumericalSplitFeatureIndexes[n], tree.NumericalSplitThresholds[n], Place(tree.LeftChild[n]), Place(tree.RightChild[n])));
                values.Add(0);
                categorical.Add(tree.CategoricalSplitFlags[n] ? [.. tree.GetCategoricalSplitFeaturesAt(n)] : null);
                defaults.Add(treeDefaults?[n] ?? float.NaN);
                anyDefaults |= treeDefaults is not null;
            }

            foreach (var leaf in tree.LeafValues)
            {
                AddLeaf(nodes, values, categorical, defaults, leaf);
            }

            firstLeaves.Add(root + internals);
        }

        reason = "";
        return new FlatTreeEnsemble([.. roots], [.. firstLeaves], [.. nodes], [.. values], anyDefaults ? [.. defaults] : null, [.. categorical]);
    }

    /// <summary>
    /// Sums the trees for <paramref name="rows"/> rows whose features start at <paramref name="offset"/> of each
    /// <paramref name="stride"/>-wide frame; adds to <paramref name="sums"/>.
    /// </summary>
    /// <param name="anyMissing">Whether a feature of these rows is NaN: without one, a tree's missing-value defaults change nothing.</param>
    public void Evaluate(ReadOnlySpan<float> frames, int stride, int offset, int rows, Span<double> sums, bool anyMissing)
    {
        const int Block = 64;
        Span<int> positions = stackalloc int[Block];
        for (var first = 0; first < rows; first += Block)
        {
            var count = Math.Min(Block, rows - first);
            var block = frames.Slice((first * stride) + offset);
            var blockSums = sums.Slice(first, count);
            var at = positions[..count];
            for (var t = 0; t < _roots.Length; t++)
            {
                at.Fill(_roots[t]);
                if (!HasCategoricalSplits && (_defaultForMissing is null || !anyMissing))
                {
                    Descend(block, stride, at, _firstLeaves[t]);
                }
                else
                {
                    DescendCarefully(block, stride, at);
                }

                for (var r = 0; r < count; r++)
                {
                    blockSums[r] += _values[at[r]];
                }
            }
        }
    }

    /// <summary>
    /// The plain case (numerical splits, a missing value compared as it is, so NaN goes right): every row one level
    /// down per sweep, the child chosen by arithmetic rather than a branch the CPU would mispredict half the time.
    /// </summary>
    private void Descend(ReadOnlySpan<float> block, int stride, Span<int> at, int firstLeaf)
    {
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref var features = ref MemoryMarshal.GetReference(block);
        ref var position = ref MemoryMarshal.GetReference(at);
        Span<int> active = stackalloc int[at.Length];
        ref var rows = ref MemoryMarshal.GetReference(active);
        for (var r = 0; r < active.Length; r++)
        {
            Unsafe.Add(ref rows, r) = r;
        }

        // Each sweep moves every row still inside the tree one level down and keeps only those that did not reach a
        // leaf (compacted without a branch), so a sweep costs the rows still walking, not the deepest path.
        var walking = firstLeaf > Unsafe.Add(ref position, 0) ? active.Length : 0;
        while (walking > 0)
        {
            var kept = 0;
            for (var i = 0; i < walking; i++)
            {
                var r = Unsafe.Add(ref rows, i);
                ref var node = ref Unsafe.Add(ref nodes, Unsafe.Add(ref position, r));
                var value = Unsafe.Add(ref features, (r * stride) + node.Feature);
                var right = !(value <= node.Threshold);
                var next = Unsafe.Add(ref node.Left, Unsafe.As<bool, byte>(ref right));
                Unsafe.Add(ref position, r) = next;
                Unsafe.Add(ref rows, kept) = r;
                var inside = next < firstLeaf;
                kept += Unsafe.As<bool, byte>(ref inside);
            }

            walking = kept;
        }
    }

    /// <summary>Trees with missing-value defaults or categorical splits, node by node as ML.NET does.</summary>
    private void DescendCarefully(ReadOnlySpan<float> block, int stride, Span<int> at)
    {
        for (var r = 0; r < at.Length; r++)
        {
            var row = block.Slice(r * stride);
            var position = at[r];
            while (_nodes[position] is var node && node.Left != position)
            {
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

            at[r] = position;
        }
    }

    private float ValueAt(ReadOnlySpan<float> row, int index, int node)
    {
        var value = row[index];
        return float.IsNaN(value) && _defaultForMissing is { } defaults && !float.IsNaN(defaults[node]) ? defaults[node] : value;
    }

    private static void AddLeaf(List<Node> nodes, List<double> values, List<int[]?> categorical, List<float> defaults, double value)
    {
        var self = nodes.Count;
        nodes.Add(new Node(0, float.PositiveInfinity, self, self));
        values.Add(value);
        categorical.Add(null);
        defaults.Add(float.NaN);
    }

    /// <summary>A split (or, with both children itself, a leaf): the feature read, its threshold, the children side by side.</summary>
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
