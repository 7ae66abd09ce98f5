namespace ChartBuster.ModelExperiments;

/// <summary>
/// What can be judged from out-of-fold predictions alone, without refitting: ensembles (members fitted on the
/// same folds, so averaging their out-of-fold predictions is exactly the ensemble's CV) and calibrations,
/// cross-fitted (each fold's calibrator is fitted on the other folds' out-of-fold predictions).
/// </summary>
internal static class OutOfFold
{
    private const double Clip = 1e-6;

    /// <summary>The mean log-odds of the members, as a probability (what the product's ensemble pipeline computes).</summary>
    public static double[] LogitAverage(IReadOnlyList<double[]> members) =>
        [.. Enumerable.Range(0, members[0].Length).Select(i => Sigmoid(members.Average(m => Logit(m[i]))))];

    public static double[] ProbabilityAverage(IReadOnlyList<double[]> members) =>
        [.. Enumerable.Range(0, members[0].Length).Select(i => members.Average(m => m[i]))];

    /// <summary>Platt scaling on the log-odds: p' = sigmoid(a · logit(p) + b), fitted by Newton's method on the other folds.</summary>
    public static double[] Platt(double[] p, bool[] labels, int[] folds) => CrossFit(p, labels, folds, (trainP, trainY) =>
    {
        double a = 1, b = 0;
        for (var iteration = 0; iteration < 50; iteration++)
        {
            double ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
            for (var i = 0; i < trainP.Count; i++)
            {
                var x = Logit(trainP[i]);
                var q = Sigmoid((a * x) + b);
                var r = q - (trainY[i] ? 1 : 0);
                var w = q * (1 - q);
                ga += r * x;
                gb += r;
                haa += w * x * x;
                hab += w * x;
                hbb += w;
            }

            var det = (haa * hbb) - (hab * hab);
            a -= ((hbb * ga) - (hab * gb)) / det;
            b -= ((haa * gb) - (hab * ga)) / det;
        }

        return value => Sigmoid((a * Logit(value)) + b);
    });

    /// <summary>Isotonic regression (pool adjacent violators) fitted on the other folds, interpolated between steps.</summary>
    public static double[] Isotonic(double[] p, bool[] labels, int[] folds) => CrossFit(p, labels, folds, (trainP, trainY) =>
    {
        var order = Enumerable.Range(0, trainP.Count).OrderBy(i => trainP[i]).ToArray();
        var blocks = new List<(double X, double Sum, int Count)>();
        foreach (var i in order)
        {
            blocks.Add((trainP[i], trainY[i] ? 1 : 0, 1));
            while (blocks.Count > 1 && blocks[^2].Sum / blocks[^2].Count >= blocks[^1].Sum / blocks[^1].Count)
            {
                var (last, previous) = (blocks[^1], blocks[^2]);
                blocks.RemoveAt(blocks.Count - 1);
                blocks[^1] = (((previous.X * previous.Count) + (last.X * last.Count)) / (previous.Count + last.Count), previous.Sum + last.Sum, previous.Count + last.Count);
            }
        }

        var xs = blocks.Select(b => b.X).ToArray();
        var ys = blocks.Select(b => Math.Clamp(b.Sum / b.Count, Clip, 1 - Clip)).ToArray();
        return value =>
        {
            var k = Array.BinarySearch(xs, value);
            if (k >= 0)
            {
                return ys[k];
            }

            k = ~k;
            return k == 0 ? ys[0] : k == xs.Length ? ys[^1] : ys[k - 1] + ((ys[k] - ys[k - 1]) * (value - xs[k - 1]) / (xs[k] - xs[k - 1]));
        };
    });

    private static double[] CrossFit(double[] p, bool[] labels, int[] folds, Func<List<double>, List<bool>, Func<double, double>> fit)
    {
        var result = new double[p.Length];
        foreach (var fold in folds.Distinct())
        {
            var others = Enumerable.Range(0, p.Length).Where(i => folds[i] != fold).ToList();
            var calibrate = fit([.. others.Select(i => p[i])], [.. others.Select(i => labels[i])]);
            foreach (var i in Enumerable.Range(0, p.Length).Where(i => folds[i] == fold))
            {
                result[i] = calibrate(p[i]);
            }
        }

        return result;
    }

    private static double Logit(double p)
    {
        var c = Math.Clamp(p, Clip, 1 - Clip);
        return Math.Log(c / (1 - c));
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
