using System.Diagnostics;
using System.Globalization;
using ChartBuster.Model;
using ChartBuster.Model.Serving;
using ChartBuster.Songs;

// usage: WhatIfCost MODEL.zip [SONGS] [ROUNDS]
// For SONGS real songs of the model's own song index (spread over the index), times each part of a what-if request
// on one thread, ROUNDS times, and prints medians per request: one prediction, the explanation (sampled Shapley at the
// default budget), the same explanation computed exactly (every coalition: the straightforward peer), the curves with
// the decade time machine, and the closest hits.
var model = ServingModel.Load(File.OpenRead(args[0]), "bench");
var songCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
var reference = model.Reference ?? throw new InvalidOperationException("the model has no training reference: train it with this code");
var songs = Enumerable.Range(0, songCount).Select(i => reference.Songs.Songs[i * reference.Songs.Count / songCount].ToSong()).ToList();
SongNumbers Typical(SongNumbers song)
{
    var typical = reference.Training.Decade((int)song[SongColumn.Decade])!.Typical;
    var t = default(SongNumbers);
    foreach (var column in SongFeatures.RawColumns)
    {
        t[column] = typical[SongSchema.NameOf(column)];
    }

    t[SongColumn.Decade] = song[SongColumn.Decade];
    return t;
}

var parts = new (string Name, Func<SongNumbers, int> Run, bool Slow)[]
{
    ("one prediction", s => { model.Predict(SongModelInput.FromSong(s)); return 1; }, false),
    ("explanation (sampled Shapley, default budget)", s => ShapleyExplanation.Explain(model, s, Typical(s)).Predictions, false),
    ("explanation, exact Shapley (peer)", s => ShapleyExplanation.Explain(model, s, Typical(s), budget: 1 << 15).Predictions, true),
    ("what-if curves + decade time machine", s => WhatIfCurves.Compute(model, s, reference.Training).Predictions, false),
    ("closest hits", s => { reference.Songs.ClosestHits(s, (int)s[SongColumn.Decade], 3); return 0; }, false),
};

Console.WriteLine($"model {args[0]}: {reference.Songs.Count} indexed songs; {songCount} songs x {rounds} rounds; {Environment.ProcessorCount} cores; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
Console.WriteLine("| part | median ms | p90 ms | songs scored per request | µs per song scored |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (var (name, run, slow) in parts)
{
    run(songs[0]); // warm up
    var times = new List<double>();
    var scored = 0;
    var measured = slow ? songs.Take(Math.Max(2, songCount / 5)).ToList() : songs;
    for (var round = 0; round < (slow ? 1 : rounds); round++)
    {
        foreach (var song in measured)
        {
            var clock = Stopwatch.StartNew();
            scored = run(song);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
    }

    times.Sort();
    var median = times[times.Count / 2];
    var p90 = times[(int)(times.Count * 0.9)];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {median:F2} | {p90:F2} | {scored} | {(scored == 0 ? "" : (median * 1000 / scored).ToString("F1", CultureInfo.InvariantCulture))} |"));
}
