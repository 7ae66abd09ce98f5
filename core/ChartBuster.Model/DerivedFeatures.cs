using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace ChartBuster.Model;

/// <summary>
/// Features the pipeline derives from <see cref="SongModelInput"/> inside the saved model, so that training,
/// the web app, <c>score</c> and explanations compute them the same way without changing the model's input:
/// <list type="bullet">
/// <item><see cref="DecadeRelativeColumn"/>: twelve inputs as z-scores against the training songs of the same
/// decade (mastering loudness rose over the decades, tempo and duration moved: "loud for its decade"). The
/// decade statistics are learned when the pipeline is fitted and saved in model.zip (a value mapping from
/// decade to means and standard deviations); a decade the training data did not have gets missing values.</item>
/// <item><see cref="InteractionsColumn"/>: six contrasts and products that a tree needs many splits for.</item>
/// </list>
/// Each member of the product's ensemble sees one of them beside the shared inputs (bench/model/EXPERIMENTS.md).
/// </summary>
public static class DerivedFeatures
{
    public const string DecadeRelativeColumn = "DecadeRelative";

    public const string InteractionsColumn = "Interactions";

    /// <summary>The numeric slots that get a decade-relative z-score.</summary>
    public static IReadOnlyList<string> DecadeRelativeInputs { get; } =
        ["loudness", "tempo", "energy", "danceability", "acousticness", "valence", "duration_min", "speechiness", "instrumentalness", "liveness", "sections", "chorus_hit"];

    public static IReadOnlyList<string> DecadeRelativeNames { get; } = [.. DecadeRelativeInputs.Select(n => n + "_vs_decade")];

    public static IReadOnlyList<string> InteractionNames { get; } =
        ["energy_minus_acousticness", "danceability_x_valence", "loudness_x_energy", "speechiness_x_danceability", "tempo_x_danceability", "upbeat_score"];

    internal const string StatisticsColumn = "DecadeStatistics";

    internal const string ContractName = "ChartBuster.DerivedFeatures.v1";

    private static readonly int[] s_relativeSlots = [.. DecadeRelativeInputs.Select(Slot)];

    /// <summary>Adds <see cref="DecadeRelativeColumn"/> and <see cref="InteractionsColumn"/>; learns the decade statistics when fitted.</summary>
    public static IEstimator<ITransformer> Estimator(MLContext ml) => new DecadeStatisticsEstimator(ml);

    /// <summary>Means and sample standard deviations of the decade-relative inputs, per decade, in one vector (means first).</summary>
    public static Dictionary<string, float[]> DecadeStatistics(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var values = new Dictionary<string, List<float[]>>(StringComparer.Ordinal);
        using (var cursor = data.GetRowCursor([data.Schema[nameof(SongModelInput.Numeric)], data.Schema[nameof(SongModelInput.Decade)]]))
        {
            var numeric = cursor.GetGetter<VBuffer<float>>(data.Schema[nameof(SongModelInput.Numeric)]);
            var decade = cursor.GetGetter<ReadOnlyMemory<char>>(data.Schema[nameof(SongModelInput.Decade)]);
            VBuffer<float> row = default;
            ReadOnlyMemory<char> name = default;
            while (cursor.MoveNext())
            {
                numeric(ref row);
                decade(ref name);
                var dense = row.DenseValues().ToArray();
                var key = name.ToString();
                if (!values.TryGetValue(key, out var list))
                {
                    values[key] = list = [];
                }

                list.Add([.. s_relativeSlots.Select(s => dense[s])]);
            }
        }

        return values.ToDictionary(p => p.Key, p =>
        {
            var n = p.Value.Count;
            var means = Enumerable.Range(0, s_relativeSlots.Length).Select(k => p.Value.Average(v => (double)v[k])).ToArray();
            var sds = Enumerable.Range(0, s_relativeSlots.Length)
                .Select(k => Math.Sqrt(p.Value.Sum(v => (v[k] - means[k]) * (v[k] - means[k])) / Math.Max(1, n - 1))).ToArray();
            return means.Concat(sds).Select(v => (float)v).ToArray();
        }, StringComparer.Ordinal);
    }

    /// <summary>The derived values of one song (the saved pipeline calls this through <see cref="DerivedFeaturesFactory"/>).</summary>
    internal static void Map(DerivedFeaturesInput input, DerivedFeaturesOutput output)
    {
        output.DecadeRelative = new float[s_relativeSlots.Length];
        output.Interactions = new float[InteractionCount];
        Compute(input.Numeric, input.DecadeStatistics, output.DecadeRelative, output.Interactions);
    }

    internal static int RelativeCount => s_relativeSlots.Length;

    internal static int InteractionCount => InteractionNames.Count;

    /// <summary>
    /// The derived values from a song's numeric inputs and its decade's statistics, written in place: the one
    /// computation behind both the saved pipeline's mapping and the compiled evaluator (Scoring), so they cannot differ.
    /// </summary>
    internal static void Compute(ReadOnlySpan<float> x, ReadOnlySpan<float> statistics, Span<float> relative, Span<float> interactions)
    {
        var count = s_relativeSlots.Length;
        for (var k = 0; k < count; k++)
        {
            var known = statistics.Length == 2 * count && statistics[count + k] > 0;
            relative[k] = known ? (x[s_relativeSlots[k]] - statistics[k]) / statistics[count + k] : float.NaN;
        }

        var (energy, acousticness, danceability, valence) = (x[s_energy], x[s_acousticness], x[s_danceability], x[s_valence]);
        interactions[0] = energy - acousticness;
        interactions[1] = danceability * valence;
        interactions[2] = x[s_loudness] * energy;
        interactions[3] = x[s_speechiness] * danceability;
        interactions[4] = x[s_tempo] * danceability / 100;
        interactions[5] = danceability + energy + valence - acousticness - x[s_instrumentalness];
    }

    /// <summary>The interactions of one song's numeric inputs (the slots of <see cref="SongModelInput.Numeric"/>).</summary>
    public static float[] Interactions(IReadOnlyList<float> numeric)
    {
        ArgumentNullException.ThrowIfNull(numeric);
        var result = new float[InteractionCount];
        Compute([.. numeric], [], new float[s_relativeSlots.Length], result);
        return result;
    }

    private static readonly int s_energy = Slot("energy");
    private static readonly int s_acousticness = Slot("acousticness");
    private static readonly int s_danceability = Slot("danceability");
    private static readonly int s_valence = Slot("valence");
    private static readonly int s_loudness = Slot("loudness");
    private static readonly int s_speechiness = Slot("speechiness");
    private static readonly int s_tempo = Slot("tempo");
    private static readonly int s_instrumentalness = Slot("instrumentalness");

    private static int Slot(string name) => SongModelInput.NumericSlot(name);

    /// <summary>Fits by reading the decade statistics off the training data; the result is a saveable chain of built-in transforms.</summary>
    private sealed class DecadeStatisticsEstimator(MLContext ml) : IEstimator<ITransformer>
    {
        public ITransformer Fit(IDataView input) => Chain(DecadeStatistics(input)).Fit(input);

        public SchemaShape GetOutputSchema(SchemaShape inputSchema) => Chain(new Dictionary<string, float[]> { ["unknown"] = new float[2 * s_relativeSlots.Length] }).GetOutputSchema(inputSchema);

        private EstimatorChain<ITransformer> Chain(Dictionary<string, float[]> statistics) =>
            ml.Transforms.Conversion.MapValue(StatisticsColumn, statistics, nameof(SongModelInput.Decade))
                .Append<ITransformer>(ml.Transforms.CustomMapping<DerivedFeaturesInput, DerivedFeaturesOutput>(Map, ContractName));
    }
}

/// <summary>What the derived-features mapping reads.</summary>
public sealed class DerivedFeaturesInput
{
    [VectorType(27)]
    public float[] Numeric { get; set; } = [];

    [ColumnName(DerivedFeatures.StatisticsColumn)]
    [VectorType(24)]
    public float[] DecadeStatistics { get; set; } = [];
}

/// <summary>What the derived-features mapping writes.</summary>
public sealed class DerivedFeaturesOutput
{
    [VectorType(12)]
    public float[] DecadeRelative { get; set; } = [];

    [VectorType(6)]
    public float[] Interactions { get; set; } = [];
}

/// <summary>Lets ML.NET load the mapping from model.zip by its contract name (found by scanning loaded assemblies).</summary>
[CustomMappingFactoryAttribute(DerivedFeatures.ContractName)]
public sealed class DerivedFeaturesFactory : CustomMappingFactory<DerivedFeaturesInput, DerivedFeaturesOutput>
{
    public override Action<DerivedFeaturesInput, DerivedFeaturesOutput> GetMapping() => DerivedFeatures.Map;
}
