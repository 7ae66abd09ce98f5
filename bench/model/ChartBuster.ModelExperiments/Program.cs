using System.Diagnostics;
using System.Globalization;
using ChartBuster.Model;
using ChartBuster.ModelExperiments;
using Microsoft.ML;

// usage: ChartBuster.ModelExperiments --input READY.csv [--input …] --work DIR [--cv-seed 43] [--reference NAME] IDEA…
//        ChartBuster.ModelExperiments --input READY.csv [--input …] --save-model model.zip CANDIDATE   (fit on the pool, save)
//        ChartBuster.ModelExperiments --input READY.csv [--input …] --holdout CANDIDATE…   (validation figures, both groupings)
//        ChartBuster.ModelExperiments --input READY.csv [--input …] --latency MODEL.zip…   (the web app's single and batch paths)
//   IDEA: a name from the list below, "ens:A+B[+C]" or "ens:A|B" (logit average of cached ideas), "pavg:A+B" (probability
//   average), "platt:A" or "iso:A" (cross-fitted calibration of a cached idea), or "all".
// Every idea is scored by 5-fold CV grouped by artist on the pool that `train` uses (the same artist-grouped
// 20 % holdout is left out and never touched), with the same folds; out-of-fold predictions are cached in
// DIR/oof-SEED/ so that a re-run or an ensemble costs no refit.
var args_ = args.ToList();
string? Value(string name) => args_.IndexOf(name) is var i and >= 0 && i + 1 < args_.Count ? args_[i + 1] : null;
var inputs = args_.Select((a, i) => (a, i)).Where(p => p.a == "--input" && p.i + 1 < args_.Count).Select(p => args_[p.i + 1]).ToList();
var work = Value("--work") ?? "bench/model/work";
var cvSeed = int.Parse(Value("--cv-seed") ?? "43", CultureInfo.InvariantCulture);
var reference = Value("--reference") ?? "lgbm-reg31";
var options = new TrainingOptions();
var ml = new MLContext(options.Seed);
var ideas = Ideas();
string[] valued = ["--input", "--work", "--cv-seed", "--reference", "--save-model", "--dump"];
var requested = args_.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || !valued.Contains(args_[i - 1]))).ToList();
if (inputs.Count == 0 || requested.Count == 0)
{
    Console.Error.WriteLine("usage: --input READY.csv [--input …] --work DIR [--cv-seed 43] [--reference NAME] IDEA… (ideas: " + string.Join(", ", ideas.Keys) + ")");
    return 2;
}

if (requested is ["all"])
{
    requested = [.. ideas.Keys];
}

var rows = inputs.SelectMany(ReadyDataset.Load).ToList();
var (pool, _) = GroupedSplit.Holdout(rows, options.ValidationShare, options.Seed, SplitGrouping.Artist);
if (args_.Contains("--latency"))
{
    // The web app's paths: one song through a pooled prediction engine, and a batch through the pipeline.
    // Medians of 7 rounds of 5,000 single predictions and of 7 batch passes over the pooled songs (after warm-up).
    Console.WriteLine("| model.zip | single song, µs per prediction (median of 7 × 5,000) | batch of all songs, rows/s (median of 7) |");
    Console.WriteLine("|---|---:|---:|");
    var songs = rows.Select(r => r.Input).ToList();
    foreach (var path in requested)
    {
        using var zip = File.OpenRead(path);
        var model = ChartBuster.Model.Serving.ServingModel.Load(zip, Path.GetFileName(path));
        double Median(IEnumerable<double> values) => values.Order().ElementAt(3);
        for (var i = 0; i < 2_000; i++)
        {
            model.Predict(songs[i]);
        }

        var single = Median(Enumerable.Range(0, 7).Select(round =>
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 5_000; i++)
            {
                model.Predict(songs[((round * 5_000) + i) % songs.Count]);
            }

            return clock.Elapsed.TotalMicroseconds / 5_000;
        }));
        model.PredictMany(songs);
        var batch = Median(Enumerable.Range(0, 7).Select(_ =>
        {
            var clock = Stopwatch.StartNew();
            model.PredictMany(songs);
            return songs.Count / clock.Elapsed.TotalSeconds;
        }));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {path} | {single:F1} | {batch:F0} |"));
    }

    return 0;
}

if (args_.Contains("--holdout"))
{
    // The validation figures `train` reports, for each candidate: fitted on the pool, measured on the artist-grouped
    // holdout, and the same on the song-grouped holdout (the split `train` used before issue 13).
    Console.WriteLine("| candidate | holdout | AUC | log loss | accuracy | Brier | fit s |");
    Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
    foreach (var name in requested)
    {
        foreach (var grouping in (SplitGrouping[])[SplitGrouping.Artist, SplitGrouping.Song])
        {
            var clock = Stopwatch.StartNew();
            var m = CrossValidation.Holdout(rows, CrossValidation.For(CandidateNamed(name)), grouping, options.ValidationShare, options.Seed);
            if (Value("--dump") is { } dump)
            {
                var (train, validation) = GroupedSplit.Holdout(rows, options.ValidationShare, options.Seed, grouping);
                var p = CrossValidation.For(CandidateNamed(name))(train)(validation);
                File.WriteAllLines($"{dump}-{name}-{grouping}.csv", validation.Select((r, i) => string.Create(CultureInfo.InvariantCulture, $"\"{r.Artist.Replace("\"", "", StringComparison.Ordinal)}\",{(r.Label ? 1 : 0)},{p[i]:F4},{r.Input.Decade}")));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {grouping.ToString().ToLowerInvariant()}-grouped ({m.Rows} songs) | {m.Auc:F4} | {m.LogLoss:F4} | {m.Accuracy:F4} | {m.Brier:F4} | {clock.Elapsed.TotalSeconds:F1} |"));
        }
    }

    return 0;
}

if (Value("--save-model") is { } modelPath)
{
    // Fits one pipeline on the pool and saves it as `train` would (for scoring-speed comparisons of ensembles).
    var candidate = CandidateNamed(requested[0]);
    var clock = Stopwatch.StartNew();
    var model = candidate.Pipeline(ml).Fit(ml.Data.LoadFromEnumerable(pool.Select(r => r.Input)));
    ml.Model.Save(model, ml.Data.LoadFromEnumerable(pool.Take(1).Select(r => r.Input)).Schema, modelPath);
    Console.WriteLine($"{candidate.Name}: fitted on {pool.Count} rows in {clock.Elapsed.TotalSeconds:F1} s -> {modelPath}");
    return 0;
}

var folds = GroupedSplit.AssignFolds(pool, options.Folds, cvSeed, SplitGrouping.Artist);
var labels = pool.Select(r => r.Label).ToArray();
var cache = Directory.CreateDirectory(Path.Combine(work, $"oof-{cvSeed}")).FullName;
Console.WriteLine($"pool {pool.Count} rows ({labels.Count(l => l)} hits), {options.Folds} artist-grouped folds (seed {cvSeed}); machine: {Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
Console.WriteLine();
Console.WriteLine($"| idea | CV AUC (mean ± sd of folds) | Δ AUC vs {reference} (mean ± sd of paired fold differences) | pooled log loss | Brier | fit s (5 folds) |");
Console.WriteLine("|---|---|---|---:|---:|---:|");
var referenceSummary = Summary(Predictions(reference).Oof);
foreach (var idea in requested)
{
    var (oof, seconds) = Predictions(idea);
    var s = Summary(oof);
    var deltas = s.FoldAucs!.Zip(referenceSummary.FoldAucs!, (a, b) => a - b).ToList();
    var deltaMean = deltas.Average();
    var deltaSd = Math.Sqrt(deltas.Sum(d => (d - deltaMean) * (d - deltaMean)) / (deltas.Count - 1));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {idea} | {s.AucMean:F4} ± {s.AucStdDev:F4} | {deltaMean:+0.0000;-0.0000} ± {deltaSd:F4} | {s.Pooled.LogLoss:F4} | {s.Pooled.Brier:F4} | {(seconds is { } t ? t.ToString("F1", CultureInfo.InvariantCulture) : "")} |"));
}

return 0;

// Members of an ensemble idea: "A+B" or, when a member's name holds a '+', "A|B".
static string[] Members(string list) => list.Split(list.Contains('|', StringComparison.Ordinal) ? '|' : '+');

CrossValidationSummary Summary(double[] oof) => CrossValidation.Summarise(pool, folds, oof, SplitGrouping.Artist);

(double[] Oof, double? Seconds) Predictions(string idea)
{
    var file = Path.Combine(cache, idea.Replace(':', '_').Replace('+', ',').Replace('|', ';') + ".txt");
    if (File.Exists(file))
    {
        var cached = File.ReadAllLines(file).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        if (cached.Length == pool.Count)
        {
            return (cached, File.Exists(file + ".seconds") ? double.Parse(File.ReadAllText(file + ".seconds"), CultureInfo.InvariantCulture) : null);
        }
    }

    var clock = Stopwatch.StartNew();
    double[] oof = idea switch
    {
        _ when idea.StartsWith("ens:", StringComparison.Ordinal) => OutOfFold.LogitAverage([.. Members(idea[4..]).Select(m => Predictions(m).Oof)]),
        _ when idea.StartsWith("pavg:", StringComparison.Ordinal) => OutOfFold.ProbabilityAverage([.. Members(idea[5..]).Select(m => Predictions(m).Oof)]),
        _ when idea.StartsWith("platt:", StringComparison.Ordinal) => OutOfFold.Platt(Predictions(idea[6..]).Oof, labels, folds),
        _ when idea.StartsWith("iso:", StringComparison.Ordinal) => OutOfFold.Isotonic(Predictions(idea[4..]).Oof, labels, folds),
        _ => CrossValidation.Run(pool, folds, ideas.TryGetValue(idea, out var learner) ? learner : throw new ArgumentException($"unknown idea {idea}"), SplitGrouping.Artist).OutOfFold,
    };
    File.WriteAllLines(file, oof.Select(p => p.ToString("R", CultureInfo.InvariantCulture)));
    File.WriteAllText(file + ".seconds", clock.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture));
    Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} {idea}: {clock.Elapsed.TotalSeconds:F1} s");
    return (oof, clock.Elapsed.TotalSeconds);
}

static Dictionary<string, Learner> Ideas()
{
    var reg31 = Candidates()["lgbm-reg31"];
    var ideas = Candidates().ToDictionary(c => c.Key, c => CrossValidation.For(c.Value), StringComparer.Ordinal);

    // Inputs, with the reference learner.
    ideas["reg31-no-decade"] = CrossValidation.For(reg31, ModelFeatures.AudioAndDecade with { Categorical = [nameof(SongModelInput.Key), nameof(SongModelInput.Mode), nameof(SongModelInput.TimeSignature)] });
    ideas["reg31+decade-z"] = WideFeatures.With(reg31, WideFeatures.DecadeZScores);
    ideas["reg31+decade-rank"] = WideFeatures.With(reg31, WideFeatures.DecadeRanks);
    ideas["reg31+interactions"] = WideFeatures.With(reg31, WideFeatures.Interactions);
    ideas["reg31+decade-rank+interactions"] = WideFeatures.With(reg31, train =>
    {
        var (ranks, products) = (WideFeatures.DecadeRanks(train), WideFeatures.Interactions(train));
        return row => [.. ranks(row), .. products(row)];
    });
    return ideas;
}

/// <summary>The ideas that are plain product pipelines (a trainer setting); "ens:A+B" of them is one too.</summary>
static Dictionary<string, ModelCandidate> Candidates()
{
    var reg31 = ModelCandidate.LightGbm(leaves: 31, trees: 800, rate: 0.03, featureFraction: 0.7, bagging: 0.8, l2: 1);
    return new Dictionary<string, ModelCandidate>(StringComparer.Ordinal)
    {
        // The previous full profile's five candidates (reg31 was the one it served).
        ["lgbm-peer"] = ModelCandidate.LightGbm(leaves: 31, trees: 500, rate: 0.05),
        ["lgbm-reg31"] = reg31,
        ["lgbm-reg31-2threads"] = ModelCandidate.LightGbm(leaves: 31, trees: 800, rate: 0.03, featureFraction: 0.7, bagging: 0.8, l2: 1, threads: 2),
        ["lgbm-reg31-seed7"] = ModelCandidate.LightGbm(leaves: 31, trees: 800, rate: 0.03, featureFraction: 0.7, bagging: 0.8, l2: 1, seed: 7),
        ["lgbm-reg31-seed13"] = ModelCandidate.LightGbm(leaves: 31, trees: 800, rate: 0.03, featureFraction: 0.7, bagging: 0.8, l2: 1, seed: 13),
        ["lgbm-reg63"] = ModelCandidate.LightGbm(leaves: 63, trees: 600, rate: 0.03, featureFraction: 0.7, bagging: 0.8, l2: 1),
        ["ft-20x500"] = ModelCandidate.FastTree(leaves: 20, trees: 500, rate: 0.05),
        ["ft-31x300"] = ModelCandidate.FastTree(leaves: 31, trees: 300, rate: 0.1),

        // Tuned LightGbm: smaller rate with more rounds, more data per leaf, stronger regularisation, feature subsampling.
        ["lgbm-15x1500-0.02-min50-ff0.5-l2.5"] = ModelCandidate.LightGbm(leaves: 15, trees: 1500, rate: 0.02, minLeaf: 50, featureFraction: 0.5, bagging: 0.8, l2: 5),
        ["lgbm-31x1500-0.02-min50-ff0.5-l2.10"] = ModelCandidate.LightGbm(leaves: 31, trees: 1500, rate: 0.02, minLeaf: 50, featureFraction: 0.5, bagging: 0.8, l2: 10),
        ["lgbm-63x1000-0.02-min100-ff0.5-l2.10"] = ModelCandidate.LightGbm(leaves: 63, trees: 1000, rate: 0.02, minLeaf: 100, featureFraction: 0.5, bagging: 0.8, l2: 10),
        ["lgbm-7x2500-0.03-ff0.5-l2.1"] = ModelCandidate.LightGbm(leaves: 7, trees: 2500, rate: 0.03, featureFraction: 0.5, bagging: 0.8, l2: 1),
        ["lgbm-31x1600-0.015-ff0.7-l2.1"] = ModelCandidate.LightGbm(leaves: 31, trees: 1600, rate: 0.015, featureFraction: 0.7, bagging: 0.8, l2: 1),
        ["lgbm-31x800-0.03-min50-ff0.7-l2.1"] = ModelCandidate.LightGbm(leaves: 31, trees: 800, rate: 0.03, minLeaf: 50, featureFraction: 0.7, bagging: 0.8, l2: 1),
        ["lgbm-31x800-0.03-ff0.85-l2.1"] = ModelCandidate.LightGbm(leaves: 31, trees: 800, rate: 0.03, featureFraction: 0.85, bagging: 0.8, l2: 1),

        // The product's derived features (computed inside the saved pipeline): each view with the reference setting.
        ["reg31@decade-relative"] = reg31.Seeing(DerivedFeatures.DecadeRelativeColumn),
        ["reg31@interactions"] = reg31.Seeing(DerivedFeatures.InteractionsColumn),

        // Other families, for diversity in an ensemble.
        ["ft-31x1000-0.03-min50-ff0.7"] = ModelCandidate.FastTree(leaves: 31, trees: 1000, rate: 0.03, minLeaf: 50, featureFraction: 0.7),
        ["gam-3000-0.01"] = ModelCandidate.Gam(iterations: 3000, rate: 0.01),
        ["logistic"] = ModelCandidate.Logistic(),
    };
}

/// <summary>A named candidate, or "ens:A+B[+C]" of named candidates.</summary>
static ModelCandidate CandidateNamed(string name) =>
    name.StartsWith("ens:", StringComparison.Ordinal)
        ? ModelCandidate.Ensemble([.. Members(name[4..]).Select(m => Candidates()[m])])
        : Candidates().TryGetValue(name, out var candidate) ? candidate : throw new ArgumentException($"{name} is not a pipeline the product can save");
