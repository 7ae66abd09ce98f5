using ChartBuster.Model.Scoring;
using TreeShape = ChartBuster.Model.Scoring.LeafMaskTrees.TreeShape;

namespace ChartBuster.Model.Tests;

/// <summary>
/// The leaf-mask evaluator sums, for every row of a block, the leaves a plain walk reaches (value ≤ threshold goes
/// left, NaN goes right, a tree without splits counts 0), on hand-built trees: random shapes up to 32 leaves, a chain
/// whose last leaf is bit 31, values on the thresholds, missing values, short blocks.
/// </summary>
public sealed class LeafMaskTreesTests
{
    private const int Features = 7;

    public LeafMaskTreesTests() => Assert.True(LeafMaskTrees.IsSupported, "these tests need an AVX2 CPU, as the product's machines have");

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(63)]
    [InlineData(64)]
    public void Random_trees_sum_the_leaves_a_walk_reaches_for_a_block_of_any_length(int rows)
    {
        var random = new Random(rows);
        var trees = Enumerable.Range(0, 60).Select(i => RandomTree(random, 2 + (i % 31))).ToList();
        var block = RandomRows(random, rows, trees);

        var actual = Evaluate(trees, block);

        Assert.Equal(Walk(trees, block), actual);
    }

    [Fact]
    public void A_row_going_right_at_every_split_of_a_32_leaf_tree_reaches_its_last_leaf()
    {
        var chain = Chain(32);
        float[][] rows = [Row(100), Row(-100), Row(float.NaN), Row(15.5f), Row(31)];

        var actual = Evaluate([chain], rows);

        Assert.Equal([31, 0, 31, 16, 31], actual);
    }

    [Fact]
    public void A_value_equal_to_the_threshold_goes_left_and_infinities_go_to_their_side()
    {
        var chain = Chain(4); // thresholds 0, 1, 2
        float[][] rows = [Row(0), Row(1), Row(2), Row(float.PositiveInfinity), Row(float.NegativeInfinity), Row(float.Epsilon)];

        var actual = Evaluate([chain], rows);

        Assert.Equal([0, 1, 2, 3, 0, 1], actual);
    }

    [Fact]
    public void A_tree_without_splits_adds_nothing_whatever_its_leaf_holds()
    {
        var single = new TreeShape([], [], [], [], [42.5]);
        var rootOnly = new TreeShape([0], [0], [0], [0f], [7.0]);

        var actual = Evaluate([single, Chain(3), rootOnly], [Row(5), Row(-5)]);

        Assert.Equal([2, 0], actual);
    }

    [Fact]
    public void A_tree_of_more_than_32_leaves_or_with_a_categorical_split_has_no_leaf_masks()
    {
        var large = Chain(33);
        var categorical = Chain(3) with { HasCategoricalSplits = true };

        Assert.NotNull(LeafMaskTrees.TryCreate([Chain(32)]));
        Assert.Null(LeafMaskTrees.TryCreate([Chain(2), large]));
        Assert.Null(LeafMaskTrees.TryCreate([categorical]));
    }

    [Fact]
    public void A_block_longer_than_64_rows_or_without_room_for_its_sums_is_refused()
    {
        var masks = LeafMaskTrees.TryCreate([Chain(4)])!;
        var features = new float[masks.FeaturesRead * LeafMaskTrees.BlockRows];

        Assert.Throws<ArgumentException>(() => masks.Evaluate(features, 65, new double[72]));
        Assert.Throws<ArgumentException>(() => masks.Evaluate(features, 9, new double[9]));
        Assert.Throws<ArgumentException>(() => masks.Evaluate(features.AsSpan(1), 8, new double[8]));
    }

    /// <summary>Sums by leaf masks, each row's sum starting at 1000 (the evaluator adds); rows past the block's end hold NaN.</summary>
    private static double[] Evaluate(IReadOnlyList<TreeShape> trees, float[][] rows)
    {
        var masks = LeafMaskTrees.TryCreate(trees)!;
        var features = new float[masks.FeaturesRead * LeafMaskTrees.BlockRows];
        Array.Fill(features, float.NaN);
        for (var r = 0; r < rows.Length; r++)
        {
            for (var f = 0; f < masks.FeaturesRead; f++)
            {
                features[(f * LeafMaskTrees.BlockRows) + r] = rows[r][f];
            }
        }

        var sums = new double[LeafMaskTrees.BlockRows];
        Array.Fill(sums, 1000);
        masks.Evaluate(features, rows.Length, sums);
        return [.. sums.Take(rows.Length).Select(s => s - 1000)];
    }

    /// <summary>The reference: each row walked through each tree, the leaves summed in tree order from 1000.</summary>
    private static double[] Walk(IReadOnlyList<TreeShape> trees, float[][] rows) =>
        [.. rows.Select(row => trees.Aggregate(1000.0, (sum, tree) => sum + LeafOf(tree, row)) - 1000)];

    private static double LeafOf(TreeShape tree, float[] row)
    {
        if (!tree.HasSplits)
        {
            return 0;
        }

        var node = 0;
        while (node >= 0)
        {
            node = row[tree.Features[node]] <= tree.Thresholds[node] ? tree.Left[node] : tree.Right[node];
        }

        return tree.Leaves[~node];
    }

    /// <summary>Splits 0..n-2 on feature 0 at thresholds 0..n-2, each split's right child the next: leaf i holds i.</summary>
    private static TreeShape Chain(int leaves)
    {
        var splits = leaves - 1;
        return new TreeShape(
            [.. Enumerable.Range(0, splits).Select(i => ~i)],
            [.. Enumerable.Range(0, splits).Select(i => i + 1 < splits ? i + 1 : ~(i + 1))],
            new int[splits],
            [.. Enumerable.Range(0, splits).Select(i => (float)i)],
            [.. Enumerable.Range(0, leaves).Select(i => (double)i)]);
    }

    /// <summary>A random tree of the given leaf count in ML.NET's layout: a random leaf split again and again.</summary>
    private static TreeShape RandomTree(Random random, int leaves)
    {
        var (left, right) = (new List<int> { ~0 }, new List<int> { ~1 });
        var parents = new List<(int Split, bool Left)> { (0, true), (0, false) };
        while (parents.Count < leaves)
        {
            var leaf = random.Next(parents.Count);
            var (split, isLeft) = parents[leaf];
            var added = left.Count;
            (isLeft ? left : right)[split] = added;
            left.Add(~leaf);
            right.Add(~parents.Count);
            parents[leaf] = (added, true);
            parents.Add((added, false));
        }

        return new TreeShape(
            left, right,
            [.. left.Select(_ => random.Next(Features))],
            [.. left.Select(_ => (float)Math.Round(random.NextDouble() * 10, 1))],
            [.. Enumerable.Range(0, leaves).Select(_ => random.NextDouble() - 0.5)]);
    }

    /// <summary>Random rows: values in the thresholds' range, a tenth exactly on a threshold, a tenth missing.</summary>
    private static float[][] RandomRows(Random random, int rows, IReadOnlyList<TreeShape> trees)
    {
        var thresholds = trees.SelectMany(t => t.Thresholds).ToArray();
        return [.. Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, Features).Select(_ => random.Next(10) switch
        {
            0 => float.NaN,
            1 => thresholds[random.Next(thresholds.Length)],
            _ => (float)(random.NextDouble() * 11) - 0.5f,
        }).ToArray())];
    }

    private static float[] Row(float value) => [value, .. new float[Features - 1]];
}
