using ChartBuster.Songs;
using Microsoft.ML;

namespace ChartBuster.Model.Scoring;

/// <summary>
/// A loaded model's probabilities for many songs: by its <see cref="CompiledPipeline"/> when the model compiles (checked
/// against ML.NET when compiled), by ML.NET on every core otherwise (<see cref="ParallelPrediction"/>, the reference).
/// A model the compiler does not recognise, or an input with a category outside the known values, is answered by
/// ML.NET: never a different answer, only a slower one. <see cref="Description"/> says which, and why.
/// </summary>
public sealed class ModelEvaluator
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;

    /// <param name="compile">False keeps ML.NET for everything (the reference path, for comparisons).</param>
    public ModelEvaluator(MLContext ml, ITransformer model, bool compile = true)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(model);
        (_ml, _model) = (ml, model);
        string reason;
        if (!compile)
        {
            reason = "compilation not asked for";
        }
        else
        {
            try
            {
                Compiled = CompiledPipeline.TryCompile(ml, model, out reason);
            }
#pragma warning disable CA1031 // Any failure to compile means one thing: serve by ML.NET; the reason is kept and shown.
            catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
            {
                reason = $"compiling failed: {e.GetBaseException().Message}";
            }
        }

        NotCompiledBecause = Compiled is null ? reason : null;
    }

    /// <summary>The compiled pipeline, or null when the model is evaluated by ML.NET.</summary>
    public CompiledPipeline? Compiled { get; }

    /// <summary>Why the model is evaluated by ML.NET; null when it is compiled.</summary>
    public string? NotCompiledBecause { get; }

    /// <summary>For logs: how this model is evaluated.</summary>
    public string Description => Compiled is { } compiled
        ? $"compiled evaluator ({compiled.Trees} trees, checked against ML.NET to {CompiledPipeline.Tolerance:0e0})"
        : $"ML.NET pipeline (not compiled: {NotCompiledBecause})";

    /// <summary>The probabilities of <paramref name="inputs"/>, in order.</summary>
    public double[] Predict(IReadOnlyList<SongModelInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
        {
            return [];
        }

        var probabilities = new double[inputs.Count];
        return Compiled?.TryPredict(inputs, probabilities) == true ? probabilities : ParallelPrediction.Predict(_ml, _model, inputs);
    }

    /// <summary>One input by the compiled pipeline; null when the model is not compiled or the input has an unknown category.</summary>
    public double? TryPredictCompiled(SongModelInput input) => Compiled?.TryPredict(input);

    /// <summary>The probabilities of validated songs, written into <paramref name="probabilities"/> (the CSV scorer's path).</summary>
    public void Predict(ReadOnlyMemory<SongNumbers> songs, Span<double> probabilities)
    {
        if (Compiled is { } compiled)
        {
            compiled.Predict(songs, probabilities);
            return;
        }

        var inputs = new SongModelInput[songs.Length];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = SongModelInput.FromSong(songs.Span[i]);
        }

        ParallelPrediction.Predict(_ml, _model, inputs).CopyTo(probabilities);
    }
}
