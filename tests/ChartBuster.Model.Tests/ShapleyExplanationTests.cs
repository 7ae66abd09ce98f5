using ChartBuster.Model.Serving;
using ChartBuster.Songs;

namespace ChartBuster.Model.Tests;

public sealed class ShapleyExplanationTests(ReferencedModel fixture) : IClassFixture<ReferencedModel>
{
    private double Score(in SongNumbers song) => fixture.Model.Predict(SongModelInput.FromSong(song));

    [Fact]
    public void Effects_add_up_to_the_gap_between_the_song_and_the_reference()
    {
        for (var i = 0; i < 12; i++)
        {
            var song = fixture.RealSong(i);
            var reference = fixture.Typical((int)song[SongColumn.Decade]);

            var explanation = ShapleyExplanation.Explain(fixture.Model, song, reference);

            Assert.Equal(explanation.Gap, explanation.Effects.Sum(e => e.Effect), 9);
            Assert.Equal(Score(song), explanation.Probability, 6);
            Assert.Equal(Score(reference), explanation.ReferenceProbability, 6);
            Assert.Equal(SongFeatures.RawColumns, explanation.Effects.Select(e => e.Column));
        }
    }

    [Fact]
    public void An_input_equal_to_the_reference_has_no_effect()
    {
        var reference = fixture.Typical(2010);
        var song = reference;
        song[SongColumn.Energy] = 0.2;
        song[SongColumn.Acousticness] = 0.9;
        song[SongColumn.Tempo] = 75;

        var explanation = ShapleyExplanation.Explain(fixture.Model, song, reference);

        var changed = new[] { SongColumn.Energy, SongColumn.Acousticness, SongColumn.Tempo };
        Assert.All(explanation.Effects.Where(e => !changed.Contains(e.Column)), e => Assert.Equal(0.0, e.Effect));
        Assert.Contains(explanation.Effects, e => changed.Contains(e.Column) && e.Effect != 0);
        Assert.Equal(explanation.Gap, explanation.Effects.Sum(e => e.Effect), 9);
    }

    [Fact]
    public void A_real_song_with_some_inputs_equal_to_the_reference_gives_them_no_effect_when_sampled_too()
    {
        var song = Enumerable.Range(0, 50).Select(fixture.RealSong)
            .First(s => SongFeatures.RawColumns.Count(c => s[c] != fixture.Typical((int)s[SongColumn.Decade])[c]) >= 13);
        var reference = fixture.Typical((int)song[SongColumn.Decade]);
        reference[SongColumn.Valence] = song[SongColumn.Valence];
        reference[SongColumn.Loudness] = song[SongColumn.Loudness];

        var explanation = ShapleyExplanation.Explain(fixture.Model, song, reference);

        Assert.False(explanation.Exact);
        Assert.Equal(0.0, explanation.Effects.Single(e => e.Column == SongColumn.Valence).Effect);
        Assert.Equal(0.0, explanation.Effects.Single(e => e.Column == SongColumn.Loudness).Effect);
        Assert.Equal(explanation.Gap, explanation.Effects.Sum(e => e.Effect), 9);
    }

    [Fact]
    public void Few_differing_inputs_get_exact_shapley_values()
    {
        var reference = fixture.Typical(2000);
        var song = reference;
        song[SongColumn.Valence] = 0.15;
        song[SongColumn.Energy] = 0.95;
        song[SongColumn.DurationMs] = 420_000;
        var players = new[] { SongColumn.Valence, SongColumn.Energy, SongColumn.DurationMs };

        var explanation = ShapleyExplanation.Explain(fixture.Model, song, reference);

        Assert.True(explanation.Exact);
        Assert.Equal(8, explanation.Predictions);
        foreach (var player in players)
        {
            Assert.Equal(BruteForceShapley(song, reference, players, player), explanation.Effects.Single(e => e.Column == player).Effect, 9);
        }
    }

    [Fact]
    public void Sampled_effects_agree_with_exact_shapley_values_within_their_errors()
    {
        var song = fixture.RealSong(5);
        var reference = fixture.Typical((int)song[SongColumn.Decade]);

        var sampled = ShapleyExplanation.Explain(fixture.Model, song, reference);
        var exact = ShapleyExplanation.Explain(fixture.Model, song, reference, budget: 1 << 15);

        Assert.False(sampled.Exact);
        Assert.True(exact.Exact);
        foreach (var (s, e) in sampled.Effects.Zip(exact.Effects))
        {
            Assert.True(Math.Abs(s.Effect - e.Effect) <= Math.Max(0.01, 5 * s.StandardError), $"{s.Column}: sampled {s.Effect:F4} ± {s.StandardError:F4}, exact {e.Effect:F4}");
        }
    }

    [Fact]
    public void The_same_song_gets_the_same_explanation()
    {
        var song = fixture.RealSong(7);
        var reference = fixture.Typical((int)song[SongColumn.Decade]);

        Assert.Equal(
            ShapleyExplanation.Explain(fixture.Model, song, reference).Effects,
            ShapleyExplanation.Explain(fixture.Model, song, reference).Effects);
    }

    [Fact]
    public void A_coalition_recomputes_the_engineered_features_from_its_mixed_inputs()
    {
        var reference = fixture.Typical(2010);
        var song = reference;
        song[SongColumn.Energy] = 0.3;
        song[SongColumn.Danceability] = 0.9;

        var onlyEnergy = ShapleyExplanation.Coalition(song, reference, [SongColumn.Energy, SongColumn.Danceability], mask: 1);
        var input = SongModelInput.FromSong(onlyEnergy);

        var danceEnergy = SongModelInput.NumericNames.ToList().IndexOf("dance_energy");
        Assert.Equal((float)(reference[SongColumn.Danceability] * 0.3), input.Numeric[danceEnergy], 6);
    }

    /// <summary>Shapley values the textbook way: the average marginal contribution over every order of the players.</summary>
    private double BruteForceShapley(SongNumbers song, SongNumbers reference, SongColumn[] players, SongColumn player)
    {
        var orders = Permutations(players).ToList();
        double total = 0;
        foreach (var order in orders)
        {
            var before = reference;
            foreach (var p in order.TakeWhile(p => p != player))
            {
                before[p] = song[p];
            }

            var after = before;
            after[player] = song[player];
            total += Score(after) - Score(before);
        }

        return total / orders.Count;
    }

    private static IEnumerable<SongColumn[]> Permutations(SongColumn[] items) =>
        items.Length <= 1 ? [items] : items.SelectMany(first => Permutations([.. items.Where(i => i != first)]).Select(rest => (SongColumn[])[first, .. rest]));
}
