using ChartBuster.Model.Serving;
using Microsoft.ML;

namespace ChartBuster.Model.Tests;

/// <summary>Two real models (quick candidates trained on two decades), shared by the tests of this class.</summary>
public sealed class TwoModels
{
    public TwoModels()
    {
        First = Train(RepositoryPaths.DecadeFiles()[0]);
        Second = Train(RepositoryPaths.DecadeFiles()[5]);
        Songs = [.. ReadyDataset.Load(new MemoryStream(RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[2])), "80s").Take(300).Select(r => r.Input)];
    }

    public byte[] First { get; }

    public byte[] Second { get; }

    public IReadOnlyList<SongModelInput> Songs { get; }

    private static byte[] Train(string decadeFile)
    {
        var rows = ReadyDataset.Load(new MemoryStream(RealData.ReadyCsv(decadeFile)), decadeFile);
        var trained = new ModelTrainer(new TrainingOptions { Candidates = ModelCandidate.Quick, Folds = 0 }).Train(rows);
        using var zip = new MemoryStream();
        new MLContext().Model.Save(trained.Transformer, trained.InputSchema, zip);
        return zip.ToArray();
    }
}

/// <summary>The serving model: loaded and checked beside the old one, swapped whole, refused without a trace on what serves.</summary>
public sealed class CurrentModelTests(TwoModels models) : IClassFixture<TwoModels>
{
    private static readonly DateTimeOffset T = new(2026, 11, 30, 2, 0, 0, TimeSpan.Zero);

    private static string? Serve(CurrentModel current, byte[] zip, string version) =>
        current.TryServe(new MemoryStream(zip), version, $"from-{version}", null, null, T);

    [Fact]
    public void Serves_a_trained_model_with_its_version_source_and_load_time()
    {
        var current = new CurrentModel();

        Assert.Null(Serve(current, models.First, "v1"));
        var served = current.Serving!;
        var answer = served.Predict(models.Songs[0]);

        Assert.True(current.IsReady);
        Assert.Equal(("v1", "from-v1", T), (served.Version, served.Source, served.LoadedAt));
        Assert.Equal("v1", answer.ModelVersion);
        Assert.InRange(answer.HitProbability, 0, 1);
        Assert.Equal(answer.HitProbability >= HitThreshold.Probability, answer.PredictedHit);
    }

    [Theory]
    [InlineData("not a zip at all")]
    [InlineData("PK\u0003\u0004 truncated")]
    public void Refuses_a_corrupt_model_says_why_and_keeps_serving_the_old_one(string content)
    {
        var current = new CurrentModel();
        Serve(current, models.First, "v1");
        var before = current.Serving;

        var problem = Serve(current, System.Text.Encoding.UTF8.GetBytes(content), "v2");

        Assert.Contains("v2", problem, StringComparison.Ordinal);
        Assert.Same(before, current.Serving);
        Assert.Equal(new ModelRefusal("v2", problem!, T), current.State.Refused);
        Assert.Equal("v1", current.Serving!.Predict(models.Songs[0]).ModelVersion);
    }

    [Fact]
    public void A_refusal_is_cleared_by_the_next_model_that_loads()
    {
        var current = new CurrentModel();
        Serve(current, models.First, "v1");
        Serve(current, "nonsense"u8.ToArray(), "v2");

        Assert.Null(Serve(current, models.Second, "v3"));

        Assert.Equal("v3", current.Serving!.Version);
        Assert.Null(current.State.Refused);
    }

    [Fact]
    public void Refuses_a_model_that_expects_other_inputs()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 50).Select(i => new OtherInput { Tempo = i, Label = i % 2 == 0 }));
        var model = ml.Transforms.Concatenate("Features", nameof(OtherInput.Tempo))
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression()).Fit(data);
        using var zip = new MemoryStream();
        ml.Model.Save(model, data.Schema, zip);
        var current = new CurrentModel();

        var problem = Serve(current, zip.ToArray(), "alien");

        Assert.Contains("expects other inputs", problem, StringComparison.Ordinal);
        Assert.False(current.IsReady);
        Assert.Equal("alien", current.State.Refused?.ModelVersion);
    }

    [Fact]
    public void A_batch_is_answered_by_one_model_and_matches_single_predictions()
    {
        var current = new CurrentModel();
        Serve(current, models.First, "v1");
        var served = current.Serving!;

        var batch = served.PredictMany(models.Songs);

        Assert.Equal(models.Songs.Count, batch.Count);
        Assert.All(batch, a => Assert.Equal("v1", a.ModelVersion));
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(served.Predict(models.Songs[i]).HitProbability, batch[i].HitProbability, 5);
        }
    }

    [Fact]
    public async Task A_swap_during_200_parallel_requests_fails_none_and_every_answer_and_description_comes_from_one_model()
    {
        var expected = new Dictionary<string, double[]>();
        foreach (var (version, bytes) in new[] { ("v1", models.First), ("v2", models.Second) })
        {
            var single = new CurrentModel();
            Serve(single, bytes, version);
            expected[version] = [.. models.Songs.Select(s => single.Serving!.Predict(s).HitProbability)];
        }

        Assert.NotEqual(expected["v1"], expected["v2"]);
        var current = new CurrentModel();
        Serve(current, models.First, "v1");
        using var stop = new CancellationTokenSource();
        var swapCount = 0;
        var swaps = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var next = swapCount % 2 == 0 ? ("v2", models.Second) : ("v1", models.First);
                Assert.Null(Serve(current, next.Item2, next.Item1));
                Interlocked.Increment(ref swapCount);
            }
        });
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref swapCount) >= 1, TimeSpan.FromSeconds(60)), "swapping never started");
        var swapsBefore = Volatile.Read(ref swapCount);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // 200 concurrent clients keep asking (one snapshot per request, as the site does) until at least two swaps
        // have happened while they ask; each request also reads where its model came from.
        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() =>
        {
            var mine = new List<(int Song, string Source, HitPrediction Single, IReadOnlyList<HitPrediction> Pair)>();
            do
            {
                var served = current.Serving!;
                var song = (i + mine.Count) % models.Songs.Count;
                mine.Add((song, served.Source, served.Predict(models.Songs[song]), served.PredictMany([models.Songs[song], models.Songs[(song + 1) % models.Songs.Count]])));
            }
            while (Volatile.Read(ref swapCount) < swapsBefore + 2 && clock.Elapsed < TimeSpan.FromSeconds(60));
            return mine;
        })));
        var swapsDuring = Volatile.Read(ref swapCount) - swapsBefore;
        await stop.CancelAsync();
        await swaps;

        Assert.True(swapsDuring >= 2, $"only {swapsDuring} swaps happened during the requests");
        var all = answers.SelectMany(a => a).ToList();
        foreach (var (song, source, single, pair) in all)
        {
            Assert.Equal($"from-{single.ModelVersion}", source);
            Assert.Equal(expected[single.ModelVersion][song], single.HitProbability, 6);
            Assert.Equal(pair[0].ModelVersion, pair[1].ModelVersion);
            Assert.Equal(expected[pair[0].ModelVersion][song], pair[0].HitProbability, 6);
        }

        Assert.Contains(all, a => a.Single.ModelVersion == "v1");
        Assert.Contains(all, a => a.Single.ModelVersion == "v2");
    }

    private sealed class OtherInput
    {
        public float Tempo { get; set; }

        public bool Label { get; set; }
    }
}
