using ChartBuster.Songs;

namespace ChartBuster.Model.Serving;

/// <summary>One input's share of the gap between a song's probability and the reference's.</summary>
/// <param name="StandardError">The sampling error of <paramref name="Effect"/> (0 when computed exactly).</param>
public sealed record InputEffect(SongColumn Column, double Value, double ReferenceValue, double Effect, double StandardError);

/// <summary>Why a song scores what it does, against a reference song: effects that add up to the gap exactly.</summary>
/// <param name="Exact">True when every coalition of the differing inputs was scored (exact Shapley values).</param>
/// <param name="Predictions">Songs the model scored to compute it (the cost).</param>
public sealed record SongExplanation(double Probability, double ReferenceProbability, IReadOnlyList<InputEffect> Effects, bool Exact, int Permutations, int Predictions)
{
    public double Gap => Probability - ReferenceProbability;
}

/// <summary>
/// Shapley values of the 15 raw inputs, measured against a reference song (for the site: the typical song of the
/// same decade). A coalition of inputs is a song with those inputs taken from the song and the others from the
/// reference, its engineered features recomputed by <see cref="SongFeatures"/> (never copied from either song), and
/// its value is the model's probability. Inputs the song shares with the reference play no part: their effect is
/// exactly 0 and they are left out of the game, which leaves k differing inputs. When 2^k coalitions fit in the
/// budget they are all scored (exact Shapley values); otherwise the effects are averaged over random orders of the
/// k inputs (permutation sampling with antithetic pairs: each order and its reverse). Either way each order's
/// marginal contributions telescope to f(song) − f(reference), so the effects add up to the gap exactly, whatever
/// the sample; only how the gap is shared is estimated, with a standard error per input. Every coalition of one
/// explanation is scored in one batch (<see cref="ServingModel.Probabilities"/>), so any model behind that
/// surface (one tree ensemble or several) is explained the same way.
/// </summary>
public static class ShapleyExplanation
{
    /// <summary>About this many songs are scored per explanation (the measured cost is in bench/README.md).</summary>
    public const int DefaultBudget = 512;

    public static SongExplanation Explain(ServingModel model, in SongNumbers song, in SongNumbers reference, int budget = DefaultBudget, int seed = 16)
    {
        ArgumentNullException.ThrowIfNull(model);
        var columns = SongFeatures.RawColumns;
        var own = song; // lambdas cannot capture an in parameter
        var based = reference;
        based[SongColumn.Decade] = song[SongColumn.Decade]; // the reference is of the song's own decade
        var players = columns.Where(c => own[c] != based[c]).ToArray();
        var k = players.Length;
        var exact = k <= 20 && (1 << k) <= budget;
        var effects = new double[k];
        var errors = new double[k];
        int permutations;
        double[] values;
        if (exact)
        {
            permutations = 0;
            values = Score(model, own, based, players, Enumerable.Range(0, 1 << k).Select(m => (long)m));
            ExactShapley(values, effects);
        }
        else
        {
            permutations = Math.Max(2, (budget - 2) / Math.Max(1, k - 1) / 2 * 2);
            var orders = Orders(k, permutations, seed);
            var coalitions = new List<long> { 0, (1L << k) - 1 };
            foreach (var order in orders)
            {
                var mask = 0L;
                for (var step = 0; step < k - 1; step++)
                {
                    mask |= 1L << order[step];
                    coalitions.Add(mask);
                }
            }

            values = Score(model, own, based, players, coalitions);
            SampledShapley(values, orders, effects, errors);
        }

        var byColumn = players.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        var result = columns.Select(c => byColumn.TryGetValue(c, out var i)
            ? new InputEffect(c, own[c], based[c], effects[i], errors[i])
            : new InputEffect(c, own[c], based[c], 0, 0)).ToList();
        var full = exact ? values[(1 << k) - 1] : values[1];
        return new SongExplanation(full, values[0], result, exact, permutations, values.Length);
    }

    /// <summary>The song with the players in <paramref name="mask"/> taken from it and every other input from the reference.</summary>
    internal static SongNumbers Coalition(in SongNumbers song, in SongNumbers reference, IReadOnlyList<SongColumn> players, long mask)
    {
        var mixed = reference;
        for (var i = 0; i < players.Count; i++)
        {
            if ((mask & (1L << i)) != 0)
            {
                mixed[players[i]] = song[players[i]];
            }
        }

        return mixed;
    }

    private static double[] Score(ServingModel model, SongNumbers song, SongNumbers reference, SongColumn[] players, IEnumerable<long> masks) =>
        model.Probabilities([.. masks.Select(m => SongModelInput.FromSong(Coalition(song, reference, players, m)))]);

    /// <summary>φ_i = Σ over coalitions S without i of |S|!(k−|S|−1)!/k! · (v(S ∪ i) − v(S)).</summary>
    private static void ExactShapley(double[] values, double[] effects)
    {
        var k = effects.Length;
        var weights = new double[k];
        for (var size = 0; size < k; size++)
        {
            weights[size] = Math.Exp(LogFactorial(size) + LogFactorial(k - size - 1) - LogFactorial(k));
        }

        for (var i = 0; i < k; i++)
        {
            double sum = 0;
            for (long mask = 0; mask < values.Length; mask++)
            {
                if ((mask & (1L << i)) == 0)
                {
                    sum += weights[long.PopCount(mask)] * (values[mask | (1L << i)] - values[mask]);
                }
            }

            effects[i] = sum;
        }
    }

    /// <summary>Averages each input's marginal contribution over the orders; the standard error comes from the antithetic pairs' means.</summary>
    private static void SampledShapley(double[] values, List<int[]> orders, double[] effects, double[] errors)
    {
        var k = effects.Length;
        var pairMeans = new double[orders.Count / 2, k];
        var next = 2;
        for (var o = 0; o < orders.Count; o++)
        {
            var previous = values[0];
            for (var step = 0; step < k; step++)
            {
                var current = step == k - 1 ? values[1] : values[next++];
                var player = orders[o][step];
                effects[player] += current - previous;
                pairMeans[o / 2, player] += (current - previous) / 2;
                previous = current;
            }
        }

        var pairs = orders.Count / 2;
        for (var i = 0; i < k; i++)
        {
            effects[i] /= orders.Count;
            double squares = 0;
            for (var p = 0; p < pairs; p++)
            {
                squares += Math.Pow(pairMeans[p, i] - effects[i], 2);
            }

            errors[i] = pairs < 2 ? 0 : Math.Sqrt(squares / (pairs - 1) / pairs);
        }
    }

    /// <summary>Random orders of k players in antithetic pairs (an order, then its reverse), from a fixed seed: the same song gets the same explanation.</summary>
    private static List<int[]> Orders(int k, int count, int seed)
    {
        var random = new Random(seed);
        var orders = new List<int[]>(count);
        while (orders.Count < count)
        {
            var order = Enumerable.Range(0, k).ToArray();
            random.Shuffle(order);
            orders.Add(order);
            orders.Add([.. order.Reverse()]);
        }

        return orders;
    }

    private static double LogFactorial(int n)
    {
        double sum = 0;
        for (var i = 2; i <= n; i++)
        {
            sum += Math.Log(i);
        }

        return sum;
    }
}
