using System.Globalization;
using ChartBuster.Model.Scoring;
using ChartBuster.Songs;
using ChartBuster.Songs.Csv;
using Microsoft.ML;

namespace ChartBuster.Model.Tests;

/// <summary>
/// The compiled evaluator answers every song of the real pool with ML.NET's probability (to 1e-6) for both models the
/// product trains, on every path that uses it (arrays, one song, files); anything it does not reproduce is answered by ML.NET.
/// </summary>
public sealed class CompiledPipelineTests(ProductModels models) : IClassFixture<ProductModels>
{
    private const double Tolerance = 1e-6;

    [Theory]
    [InlineData("default")]
    [InlineData("single")]
    public void Every_song_of_the_real_pool_gets_ml_nets_probability_from_the_compiled_model(string profile)
    {
        var model = models.Profile(profile);
        var expected = ModelTrainer.Predict(new MLContext(), model.Transformer, models.Inputs);

        var actual = model.Evaluator.Predict(models.Inputs);

        Assert.True(model.Evaluator.Compiled is not null, model.Evaluator.Description);
        Assert.True(models.Inputs.Count > 30_000, "the whole real pool");
        Assert.Equal(expected.Length, actual.Length);
        var worst = Enumerable.Range(0, actual.Length).MaxBy(i => Math.Abs(expected[i] - actual[i]));
        Assert.True(Math.Abs(expected[worst] - actual[worst]) <= Tolerance, $"song {worst}: compiled {actual[worst]:R}, ML.NET {expected[worst]:R}");
    }

    [Theory]
    [InlineData("default", 1600)]
    [InlineData("single", 500)]
    public void The_compiled_model_holds_every_tree_of_the_trained_profile(string profile, int trees)
    {
        var compiled = models.Profile(profile).Evaluator.Compiled;

        Assert.NotNull(compiled);
        Assert.Equal(trees, compiled.Trees);
        Assert.StartsWith($"compiled evaluator ({trees} trees", models.Profile(profile).Evaluator.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("default")]
    [InlineData("single")]
    public void A_single_song_gets_the_probability_of_a_prediction_engine(string profile)
    {
        var model = models.Profile(profile);
        using var engine = model.Ml.Model.CreatePredictionEngine<SongModelInput, SongModelOutput>(model.Transformer);

        foreach (var input in models.Inputs.Where((_, i) => i % 997 == 0))
        {
            Assert.Equal(engine.Predict(input).Probability, model.Predict(input), Tolerance);
        }
    }

    [Theory]
    [InlineData("default")]
    [InlineData("single")]
    public void Scoring_the_real_pool_as_a_file_writes_the_probabilities_of_the_ml_net_reference(string profile)
    {
        var model = models.Profile(profile);
        using var compiled = new MemoryStream();
        using var reference = new MemoryStream();

        var summary = new CsvScorer(model.Evaluator).Score(new MemoryStream(models.PooledReadyCsv), "pooled.csv", compiled);
        new CsvScorer(new ModelEvaluator(model.Ml, model.Transformer, compile: false)).Score(new MemoryStream(models.PooledReadyCsv), "pooled.csv", reference);

        var (actual, expected) = (Probabilities(compiled.ToArray()), Probabilities(reference.ToArray()));
        Assert.Equal(models.Rows.Count, actual.Count);
        Assert.Equal(expected.Count, actual.Count);
        Assert.All(Enumerable.Range(0, actual.Count), i => Assert.Equal(expected[i], actual[i], Tolerance));
        Assert.True(summary.ModelTime > TimeSpan.Zero);
    }

    [Theory]
    [InlineData("default")]
    [InlineData("single")]
    public void Songs_of_unknown_decade_mixed_with_known_ones_get_ml_nets_probability(string profile)
    {
        // Unknown decade: the ensemble's decade-relative features are NaN, so those songs take the trees' missing-value path.
        var model = models.Profile(profile);
        var songs = models.Inputs.Take(3000).Select((s, i) => i % 7 == 0 ? WithDecade(s, "unknown") : s).ToList();
        var expected = ModelTrainer.Predict(new MLContext(), model.Transformer, songs);

        var actual = model.Evaluator.Predict(songs);

        Assert.NotNull(model.Evaluator.Compiled);
        Assert.All(Enumerable.Range(0, actual.Length), i => Assert.Equal(expected[i], actual[i], Tolerance));
    }

    [Theory]
    [InlineData("default")]
    [InlineData("single")]
    public void Both_product_models_are_summed_by_leaf_masks_where_the_cpu_has_avx2(string profile)
    {
        var ensembles = models.Profile(profile).Evaluator.Compiled!.Ensembles.ToList();

        Assert.Equal(profile == "default" ? 2 : 1, ensembles.Count);
        Assert.All(ensembles, e => Assert.NotNull(e.LeafMasks));
        Assert.All(ensembles, e => Assert.Equal(LeafMaskTrees.IsSupported, e.UsesLeafMasks));
    }

    [Theory]
    [InlineData("default")]
    [InlineData("single")]
    public void The_walk_through_the_trees_gives_the_leaf_masks_probabilities_on_the_whole_real_pool(string profile)
    {
        // The walk serves CPUs without AVX2 and trees too large for masks: it must stay exactly as right.
        var model = models.Profile(profile);
        var walking = new ModelEvaluator(model.Ml, model.Transformer);
        foreach (var ensemble in walking.Compiled!.Ensembles)
        {
            ensemble.UsesLeafMasks = false;
        }

        var walked = walking.Predict(models.Inputs);

        Assert.All(walking.Compiled.Ensembles, e => Assert.False(e.UsesLeafMasks));
        Assert.Equal(model.Evaluator.Predict(models.Inputs), walked);
        var expected = ModelTrainer.Predict(new MLContext(), model.Transformer, models.Inputs);
        Assert.All(Enumerable.Range(0, walked.Length), i => Assert.Equal(expected[i], walked[i], Tolerance));
    }

    [Theory]
    [InlineData("default", 1)]
    [InlineData("default", 63)]
    [InlineData("default", 65)]
    [InlineData("default", 1500)]
    [InlineData("single", 7)]
    [InlineData("single", 64)]
    [InlineData("single", 130)]
    [InlineData("single", 1029)]
    public void A_batch_of_any_length_gets_ml_nets_probabilities(string profile, int songs)
    {
        // Lengths around the 8-row groups, the 64-row blocks and the parallel threshold, from an odd place in the pool.
        var model = models.Profile(profile);
        var batch = models.Inputs.Skip(11).Take(songs).ToList();
        var expected = ModelTrainer.Predict(new MLContext(), model.Transformer, batch);

        var actual = model.Evaluator.Predict(batch);

        Assert.Equal(songs, actual.Length);
        Assert.All(Enumerable.Range(0, songs), i => Assert.Equal(expected[i], actual[i], Tolerance));
    }

    [Theory]
    [InlineData("default")]
    [InlineData("single")]
    public void Songs_with_missing_numbers_get_ml_nets_probability(string profile)
    {
        // A NaN input goes right at a split of a tree without missing-value defaults, and to the default's side otherwise.
        var model = models.Profile(profile);
        var random = new Random(5);
        var songs = models.Inputs.Take(2000).Select((s, i) =>
        {
            var copy = s.Clone();
            if (i % 3 == 0)
            {
                copy.Numeric[random.Next(SongModelInput.NumericCount)] = float.NaN;
            }

            return copy;
        }).ToList();
        var expected = ModelTrainer.Predict(new MLContext(), model.Transformer, songs);

        var actual = model.Evaluator.Predict(songs);

        Assert.All(Enumerable.Range(0, actual.Length), i => Assert.Equal(expected[i], actual[i], Tolerance));
    }

    [Fact]
    public void A_pipeline_the_compiler_does_not_know_is_evaluated_by_ml_net_and_says_why()
    {
        var rows = models.Rows.Where((_, i) => i % 4 == 0).ToList();
        var ml = new MLContext(42);
        var logistic = ModelCandidate.Logistic().Pipeline(ml).Fit(ml.Data.LoadFromEnumerable(rows.Select(r => r.Input)));
        var songs = models.Inputs.Take(3000).ToList();

        var evaluator = new ModelEvaluator(ml, logistic);

        Assert.Null(evaluator.Compiled);
        Assert.Contains("a NormalizingTransformer of column Features is not reproduced here", evaluator.NotCompiledBecause, StringComparison.Ordinal);
        Assert.StartsWith("ML.NET pipeline (not compiled: ", evaluator.Description, StringComparison.Ordinal);
        Assert.Equal(ModelTrainer.Predict(ml, logistic, songs), evaluator.Predict(songs));
    }

    [Fact]
    public void A_song_with_a_category_the_compiler_does_not_know_is_answered_by_ml_net()
    {
        var model = models.PeerSized;
        var odd = models.Inputs.Take(50).Select(i => i.Clone()).ToList();
        odd[7].Key = "12";
        odd[8].Decade = "1950s";

        var actual = model.PredictMany(odd);

        Assert.NotNull(model.Evaluator.Compiled);
        Assert.Null(model.Evaluator.TryPredictCompiled(odd[7]));
        Assert.Equal(ModelTrainer.Predict(new MLContext(), model.Transformer, odd), actual);
        Assert.Equal(ModelTrainer.Predict(new MLContext(), model.Transformer, [odd[8]])[0], model.Predict(odd[8]), Tolerance);
    }

    [Fact]
    public void A_fast_tree_model_compiles_too_and_answers_like_ml_net()
    {
        var rows = models.Rows.Where((_, i) => i % 4 == 0).ToList();
        var ml = new MLContext(42);
        var fastTree = ModelCandidate.FastTree(leaves: 20, trees: 100, rate: 0.1).Pipeline(ml).Fit(ml.Data.LoadFromEnumerable(rows.Select(r => r.Input)));

        var evaluator = new ModelEvaluator(ml, fastTree);

        Assert.True(evaluator.Compiled is not null, evaluator.Description);
        var expected = ModelTrainer.Predict(ml, fastTree, models.Inputs);
        var actual = evaluator.Predict(models.Inputs);
        Assert.All(Enumerable.Range(0, actual.Length), i => Assert.Equal(expected[i], actual[i], Tolerance));
    }

    private static SongModelInput WithDecade(SongModelInput song, string decade)
    {
        var copy = song.Clone();
        copy.Decade = decade;
        return copy;
    }

    private static List<double> Probabilities(byte[] scored) => ProductModels.ScoredProbabilities(scored);
}
