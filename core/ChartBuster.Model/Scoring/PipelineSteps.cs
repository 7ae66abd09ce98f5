namespace ChartBuster.Model.Scoring;

/// <summary>
/// One step of a compiled pipeline, applied to a block of rows: each row is a frame of floats (the numeric input
/// first, then every column the pipeline computes) and a code per categorical input.
/// </summary>
internal abstract class PipelineStep
{
    public abstract void Apply(Span<float> frames, ReadOnlySpan<int> codes, int rows, int stride);
}

/// <summary>Where part of a concatenated vector comes from: frame slots, or a table indexed by a categorical code.</summary>
internal readonly record struct VectorPart(int Width, int FrameOffset, int CategoricalInput = -1, float[]? Table = null);

/// <summary>A vector made of parts (ML.NET's column concatenation), written at <paramref name="offset"/>.</summary>
internal sealed class ConcatenateStep(int offset, IReadOnlyList<VectorPart> parts) : PipelineStep
{
    private readonly VectorPart[] _parts = [.. parts];

    public override void Apply(Span<float> frames, ReadOnlySpan<int> codes, int rows, int stride)
    {
        for (var r = 0; r < rows; r++)
        {
            var frame = frames.Slice(r * stride, stride);
            var at = offset;
            foreach (var part in _parts)
            {
                var source = part.Table is { } table
                    ? table.AsSpan(codes[(r * CategoricalInputs.Count) + part.CategoricalInput] * part.Width, part.Width)
                    : frame.Slice(part.FrameOffset, part.Width);
                source.CopyTo(frame.Slice(at, part.Width));
                at += part.Width;
            }
        }
    }
}

/// <summary>A column copied under another name (ML.NET's CopyColumns).</summary>
internal sealed class CopyStep(int from, int to, int width) : PipelineStep
{
    public override void Apply(Span<float> frames, ReadOnlySpan<int> codes, int rows, int stride)
    {
        for (var r = 0; r < rows; r++)
        {
            frames.Slice((r * stride) + from, width).CopyTo(frames.Slice((r * stride) + to, width));
        }
    }
}

/// <summary>
/// A calibrated tree model (ML.NET's binary prediction transformer): the score is the ensemble's sum as a float,
/// the probability Platt's 1 / (1 + exp(slope × score + offset)) as a float, both exactly as ML.NET computes them.
/// </summary>
internal sealed class TreeModelStep(FlatTreeEnsemble trees, int featureOffset, double slope, double intercept, int scoreOffset, int probabilityOffset)
    : PipelineStep
{
    public FlatTreeEnsemble Trees => trees;

    public override void Apply(Span<float> frames, ReadOnlySpan<int> codes, int rows, int stride)
    {
        Span<double> sums = rows <= 256 ? stackalloc double[rows] : new double[rows];
        Span<bool> missing = rows <= 256 ? stackalloc bool[rows] : new bool[rows];
        sums.Clear();
        for (var r = 0; r < rows; r++)
        {
            missing[r] = HasNaN(frames.Slice((r * stride) + featureOffset, trees.FeaturesRead));
        }

        trees.Evaluate(frames, stride, featureOffset, rows, sums, missing);
        for (var r = 0; r < rows; r++)
        {
            var score = (float)sums[r];
            frames[(r * stride) + scoreOffset] = score;
            frames[(r * stride) + probabilityOffset] = float.IsNaN(score) ? score : (float)(1 / (1 + Math.Exp((slope * score) + intercept)));
        }
    }

    private static bool HasNaN(ReadOnlySpan<float> features)
    {
        foreach (var value in features)
        {
            if (float.IsNaN(value))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// <see cref="DerivedFeatures"/> of each row: its numeric input and its decade's statistics (a table row by decade
/// code) in, the decade-relative and interaction vectors out, by the same code as the saved pipeline's mapping.
/// </summary>
internal sealed class DerivedFeaturesStep(int numericOffset, int statisticsInput, float[] statistics, int statisticsWidth, int relativeOffset, int interactionsOffset)
    : PipelineStep
{
    public override void Apply(Span<float> frames, ReadOnlySpan<int> codes, int rows, int stride)
    {
        for (var r = 0; r < rows; r++)
        {
            var frame = frames.Slice(r * stride, stride);
            var code = codes[(r * CategoricalInputs.Count) + statisticsInput];
            DerivedFeatures.Compute(
                frame.Slice(numericOffset, SongModelInput.NumericCount),
                statistics.AsSpan(code * statisticsWidth, statisticsWidth),
                frame.Slice(relativeOffset, DerivedFeatures.RelativeCount),
                frame.Slice(interactionsOffset, DerivedFeatures.InteractionCount));
        }
    }
}

/// <summary>An ML.NET expression over single floats, by its own compiled delegate (one to three inputs).</summary>
internal abstract class ExpressionStep : PipelineStep
{
    public static ExpressionStep? TryCreate(Delegate function, int[] inputs, int output) => function switch
    {
        Func<float, float> f when inputs.Length == 1 => new One(f, inputs[0], output),
        Func<float, float, float> f when inputs.Length == 2 => new Two(f, inputs[0], inputs[1], output),
        Func<float, float, float, float> f when inputs.Length == 3 => new Three(f, inputs[0], inputs[1], inputs[2], output),
        _ => null,
    };

    private sealed class One(Func<float, float> f, int a, int output) : ExpressionStep
    {
        public override void Apply(Span<float> frames, ReadOnlySpan<int> codes, int rows, int stride)
        {
            for (var r = 0; r < rows; r++)
            {
                var at = r * stride;
                frames[at + output] = f(frames[at + a]);
            }
        }
    }

    private sealed class Two(Func<float, float, float> f, int a, int b, int output) : ExpressionStep
    {
        public override void Apply(Span<float> frames, ReadOnlySpan<int> codes, int rows, int stride)
        {
            for (var r = 0; r < rows; r++)
            {
                var at = r * stride;
                frames[at + output] = f(frames[at + a], frames[at + b]);
            }
        }
    }

    private sealed class Three(Func<float, float, float, float> f, int a, int b, int c, int output) : ExpressionStep
    {
        public override void Apply(Span<float> frames, ReadOnlySpan<int> codes, int rows, int stride)
        {
            for (var r = 0; r < rows; r++)
            {
                var at = r * stride;
                frames[at + output] = f(frames[at + a], frames[at + b], frames[at + c]);
            }
        }
    }
}
