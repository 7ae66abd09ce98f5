using Microsoft.ML;

namespace ChartBuster.Model;

/// <summary>
/// Many songs through the ML.NET pipeline on every core. The model is most of the cost of scoring a file or a large
/// array, so a large batch is split in parts, one per core, each with its own data view and cursor over the shared
/// (read-only) transformer; a song's probability does not depend on the other songs of its part.
/// </summary>
public static class ParallelPrediction
{
    /// <summary>Below this a part costs more to hand to another core than to score (ML.NET's per-call set-up).</summary>
    public const int MinRowsPerPart = 2048;

    /// <summary>The probabilities of <paramref name="inputs"/>, in order.</summary>
    public static double[] Predict(MLContext ml, ITransformer model, IReadOnlyList<SongModelInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var parts = Math.Min(Environment.ProcessorCount, inputs.Count / MinRowsPerPart);
        if (parts <= 1)
        {
            return ModelTrainer.Predict(ml, model, inputs);
        }

        var results = new double[parts][];
        Parallel.For(0, parts, part =>
        {
            var (start, end) = (part * inputs.Count / parts, (part + 1) * inputs.Count / parts);
            results[part] = ModelTrainer.Predict(ml, model, Slice(inputs, start, end));
        });
        return [.. results.SelectMany(r => r)];
    }

    private static IEnumerable<SongModelInput> Slice(IReadOnlyList<SongModelInput> inputs, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            yield return inputs[i];
        }
    }
}
