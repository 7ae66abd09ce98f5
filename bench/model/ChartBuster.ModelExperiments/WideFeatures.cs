using ChartBuster.Model;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ChartBuster.ModelExperiments;

/// <summary>The model input with extra numeric slots appended (experiments only: the product's input is fixed).</summary>
internal sealed class WideInput
{
    public float[] Numeric { get; set; } = [];

    public string Key { get; set; } = "";

    public string Mode { get; set; } = "";

    public string TimeSignature { get; set; } = "";

    public string Decade { get; set; } = "";

    public bool Label { get; set; }
}

/// <summary>Learners that see extra features computed per fold (statistics from the training rows only).</summary>
internal static class WideFeatures
{
    /// <summary>
    /// Given the training rows, returns the extra slots of any row. The candidate pipeline is the product's
    /// (same one-hot and concatenation); only the Numeric vector is wider.
    /// </summary>
    public static Learner With(ModelCandidate candidate, Func<IReadOnlyList<TrainingRow>, Func<TrainingRow, float[]>> extra) => train =>
    {
        var ml = new MLContext(42); // one per fit: folds run in parallel
        var extraOf = extra(train);
        var width = SongModelInput.NumericCount + extraOf(train[0]).Length;
        var model = candidate.Pipeline(ml).Fit(Load(ml, train, extraOf, width));
        return rows =>
        {
            var scored = model.Transform(Load(ml, rows, extraOf, width));
            return [.. scored.GetColumn<float>("Probability").Select(p => (double)p)];
        };
    };

    /// <summary>Each input's z-score within its decade (mean and sd of the training rows of that decade).</summary>
    public static Func<TrainingRow, float[]> DecadeZScores(IReadOnlyList<TrainingRow> train)
    {
        var stats = DecadeStatistics(train, values => (Mean: values.Average(), Sd: StandardDeviation(values)));
        return row => [.. Slots().Select((slot, k) =>
        {
            var (mean, sd) = stats.TryGetValue(row.Input.Decade, out var s) ? s[k] : (0, 1);
            return (float)((row.Input.Numeric[slot] - mean) / (sd > 0 ? sd : 1));
        })];
    }

    /// <summary>Each input's percentile within its decade (against the sorted training values of that decade).</summary>
    public static Func<TrainingRow, float[]> DecadeRanks(IReadOnlyList<TrainingRow> train)
    {
        var sorted = DecadeStatistics(train, values => values.Order().ToArray());
        return row => [.. Slots().Select((slot, k) =>
        {
            if (!sorted.TryGetValue(row.Input.Decade, out var s))
            {
                return 0.5f;
            }

            var index = Array.BinarySearch(s[k], (double)row.Input.Numeric[slot]);
            return (float)((index < 0 ? ~index : index) / (double)s[k].Length);
        })];
    }

    /// <summary>The product's interactions (<see cref="DerivedFeatures.Interactions"/>), appended to the input vector.</summary>
    public static Func<TrainingRow, float[]> Interactions(IReadOnlyList<TrainingRow> train) => row => DerivedFeatures.Interactions(row.Input.Numeric);

    /// <summary>The product's decade-relative inputs (<see cref="DerivedFeatures.DecadeRelativeInputs"/>).</summary>
    private static int[] Slots() => [.. DerivedFeatures.DecadeRelativeInputs.Select(SongModelInput.NumericSlot)];

    private static Dictionary<string, T[]> DecadeStatistics<T>(IReadOnlyList<TrainingRow> train, Func<double[], T> statistic) =>
        train.GroupBy(r => r.Input.Decade).ToDictionary(
            g => g.Key,
            g => Slots().Select(slot => statistic([.. g.Select(r => (double)r.Input.Numeric[slot])])).ToArray());

    private static double StandardDeviation(double[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, values.Length - 1));
    }

    private static IDataView Load(MLContext ml, IReadOnlyList<TrainingRow> rows, Func<TrainingRow, float[]> extraOf, int width)
    {
        var schema = SchemaDefinition.Create(typeof(WideInput));
        schema[nameof(WideInput.Numeric)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return ml.Data.LoadFromEnumerable(rows.Select(r => new WideInput
        {
            Numeric = [.. r.Input.Numeric, .. extraOf(r)],
            Key = r.Input.Key,
            Mode = r.Input.Mode,
            TimeSignature = r.Input.TimeSignature,
            Decade = r.Input.Decade,
            Label = r.Input.Label,
        }), schema);
    }
}
