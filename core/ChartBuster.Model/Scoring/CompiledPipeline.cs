using System.Buffers;
using ChartBuster.Songs;
using Microsoft.ML;

namespace ChartBuster.Model.Scoring;

/// <summary>
/// A saved model compiled into plain arrays (<see cref="PipelineCompiler"/>, <see cref="FlatTreeEnsemble"/>): the same
/// probabilities as ML.NET, checked against it when compiled, without ML.NET's per-row machinery. Rows go through in
/// blocks: a block of rows is written into frames (a row's numeric input, then every column the pipeline computes)
/// and four category codes each, every step runs over the block, and the probabilities are read off; nothing is
/// allocated per row. Large batches use every core. ML.NET stays the reference (<see cref="ModelEvaluator"/>).
/// </summary>
public sealed class CompiledPipeline
{
    /// <summary>Rows per block: every step runs over a block before the next, so a block's frames stay in cache.</summary>
    private const int BlockRows = 64;

    /// <summary>Below this many rows a batch runs on the calling thread (the hand-off costs more than it saves).</summary>
    public const int ParallelThreshold = 1024;

    /// <summary>How far the compiled pipeline may differ from ML.NET on the probe songs (it normally agrees to the bit).</summary>
    public const double Tolerance = 1e-6;

    private readonly PipelineStep[] _steps;
    private readonly int _probabilityOffset;

    private CompiledPipeline(IEnumerable<PipelineStep> steps, int stride, int probabilityOffset)
    {
        _steps = [.. steps];
        Stride = stride;
        _probabilityOffset = probabilityOffset;
        Trees = _steps.OfType<TreeModelStep>().Sum(s => s.Trees.Trees);
    }

    /// <summary>Floats per row frame.</summary>
    public int Stride { get; }

    /// <summary>Trees evaluated per row, over all the tree models of the pipeline.</summary>
    public int Trees { get; }

    /// <summary>The tree ensembles of the pipeline, in order.</summary>
    internal IEnumerable<FlatTreeEnsemble> Ensembles => _steps.OfType<TreeModelStep>().Select(s => s.Trees);

    /// <summary>
    /// Compiles a model and checks it against ML.NET on probe songs (every categorical value, unknown decades,
    /// random songs across every rule's range); null with the reason when a part is not reproduced or an answer differs.
    /// </summary>
    public static CompiledPipeline? TryCompile(MLContext ml, ITransformer model, out string reason)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(model);
        var compiled = PipelineCompiler.TryCompile(ml, model, out reason);
        if (compiled is not { } parts)
        {
            return null;
        }

        var pipeline = new CompiledPipeline(parts.Steps, parts.Stride, parts.ProbabilityOffset);
        var probes = ProbeSongs();
        var expected = ModelTrainer.Predict(ml, model, probes);
        var actual = new double[probes.Count];
        if (!pipeline.TryPredict(probes, actual))
        {
            reason = "a probe song has a category outside the known values";
            return null;
        }

        var worst = Enumerable.Range(0, probes.Count).MaxBy(i => Math.Abs(expected[i] - actual[i]));
        if (!(Math.Abs(expected[worst] - actual[worst]) <= Tolerance))
        {
            reason = $"the compiled pipeline answers {actual[worst]:R} where ML.NET answers {expected[worst]:R} (probe song {worst})";
            return null;
        }

        return pipeline;
    }

    /// <summary>The probabilities of validated songs (the CSV scorer's path: no text, no allocation per row).</summary>
    public void Predict(ReadOnlyMemory<SongNumbers> songs, Span<double> probabilities) =>
        Run(new SongSource(songs), songs.Length, probabilities);

    /// <summary>Probabilities of model inputs; false (nothing computed) when one has a category outside the known values.</summary>
    public bool TryPredict(IReadOnlyList<SongModelInput> inputs, Span<double> probabilities)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        Span<int> codes = stackalloc int[CategoricalInputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            CategoricalInputs.CodesOf(inputs[i], codes);
            if (codes.Contains(-1) || inputs[i].Numeric.Length < SongModelInput.NumericCount)
            {
                return false;
            }
        }

        Run(new InputSource(inputs), inputs.Count, probabilities);
        return true;
    }

    /// <summary>One input, on the calling thread; null when a category is outside the known values.</summary>
    public double? TryPredict(SongModelInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Span<double> probability = stackalloc double[1];
        return TryPredict([input], probability) ? probability[0] : null;
    }

    private void Run<TSource>(TSource source, int rows, Span<double> probabilities)
        where TSource : IRowSource
    {
        if (probabilities.Length < rows)
        {
            throw new ArgumentException($"Needs room for {rows} probabilities.", nameof(probabilities));
        }

        var parts = rows < ParallelThreshold ? 1 : Math.Min(Environment.ProcessorCount, rows / (ParallelThreshold / 2));
        if (parts <= 1)
        {
            RunRange(source, 0, rows, probabilities);
            return;
        }

        var results = ArrayPool<double>.Shared.Rent(rows);
        try
        {
            Parallel.For(0, parts, part =>
            {
                var (first, end) = (part * rows / parts, (part + 1) * rows / parts);
                RunRange(source, first, end - first, results.AsSpan(first, end - first));
            });
            results.AsSpan(0, rows).CopyTo(probabilities);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(results);
        }
    }

    /// <summary>Rows <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/>, block by block in one rented frame buffer.</summary>
    private void RunRange<TSource>(TSource source, int first, int count, Span<double> probabilities)
        where TSource : IRowSource
    {
        var frames = ArrayPool<float>.Shared.Rent(BlockRows * Stride);
        var codes = ArrayPool<int>.Shared.Rent(BlockRows * CategoricalInputs.Count);
        try
        {
            for (var done = 0; done < count; done += BlockRows)
            {
                var rows = Math.Min(BlockRows, count - done);
                var blockFrames = frames.AsSpan(0, rows * Stride);
                var blockCodes = codes.AsSpan(0, rows * CategoricalInputs.Count);
                for (var r = 0; r < rows; r++)
                {
                    source.Fill(first + done + r, blockFrames.Slice(r * Stride, SongModelInput.NumericCount), blockCodes.Slice(r * CategoricalInputs.Count, CategoricalInputs.Count));
                }

                foreach (var step in _steps)
                {
                    step.Apply(blockFrames, blockCodes, rows, Stride);
                }

                for (var r = 0; r < rows; r++)
                {
                    probabilities[done + r] = blockFrames[(r * Stride) + _probabilityOffset];
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(frames);
            ArrayPool<int>.Shared.Return(codes);
        }
    }

    /// <summary>Where a block's rows come from (a struct per source, so the fill is inlined, not called through an interface).</summary>
    private interface IRowSource
    {
        void Fill(int row, Span<float> numeric, Span<int> codes);
    }

    private readonly struct SongSource(ReadOnlyMemory<SongNumbers> songs) : IRowSource
    {
        public void Fill(int row, Span<float> numeric, Span<int> codes)
        {
            ref readonly var song = ref songs.Span[row];
            SongModelInput.WriteNumeric(song, numeric);
            CategoricalInputs.CodesOf(song, codes);
        }
    }

    /// <summary>Inputs whose categories were checked to be known values.</summary>
    private readonly struct InputSource(IReadOnlyList<SongModelInput> inputs) : IRowSource
    {
        public void Fill(int row, Span<float> numeric, Span<int> codes)
        {
            var input = inputs[row];
            input.Numeric.AsSpan(0, SongModelInput.NumericCount).CopyTo(numeric);
            CategoricalInputs.CodesOf(input, codes);
        }
    }

    /// <summary>
    /// The songs a compiled pipeline must answer like ML.NET before it is used: the typical song with each value of
    /// each categorical input, and a thousand random songs across every rule's range (a tenth of them of unknown decade).
    /// </summary>
    private static List<SongModelInput> ProbeSongs()
    {
        var songs = new List<SongModelInput>();
        for (var input = 0; input < CategoricalInputs.Count; input++)
        {
            for (var code = 0; code < CategoricalInputs.Values[input].Count; code++)
            {
                songs.Add(PipelineCompiler.WithCategory(Serving.ServingModel.SmokeSong(), input, code));
            }
        }

        var random = new Random(20261129);
        for (var i = 0; i < 1000; i++)
        {
            var song = default(SongNumbers);
            foreach (var rule in SongSchema.NumericRules.Where(r => r.Column != SongColumn.Target))
            {
                var max = rule.Column == SongColumn.DurationMs ? 1_200_000 : rule.Max; // a 20-minute cap keeps the duration realistic
                var value = rule.Min + (random.NextDouble() * (max - rule.Min));
                song[rule.Column] = rule.WholeNumber ? Math.Round(value) : value;
            }

            song[SongColumn.ChorusHit] = Math.Min(song[SongColumn.ChorusHit], song[SongColumn.DurationMs] / 1000 * random.NextDouble());
            song[SongColumn.Decade] = random.Next(10) == 0 ? Decades.Unknown : 1960 + (10 * random.Next(6));
            songs.Add(SongModelInput.FromSong(song));
        }

        return songs;
    }
}
