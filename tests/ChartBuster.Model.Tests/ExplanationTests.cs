using ChartBuster.Model.Serving;

namespace ChartBuster.Model.Tests;

public sealed class ExplanationTests(TwoModels models) : IClassFixture<TwoModels>
{
    [Fact]
    public void Gives_every_input_an_effect_and_none_to_the_typical_song_itself()
    {
        var model = ServingModel.Load(new MemoryStream(models.First), "v1");

        var typical = Explanation.Explain(model, ServingModel.SmokeSong());
        var real = Explanation.Explain(model, models.Songs[0]);

        Assert.Equal(16, typical.Count);
        Assert.All(typical, c => Assert.Equal(0, c.Effect, 9));
        Assert.Contains(real, c => Math.Abs(c.Effect) > 0.001);
        Assert.Equal(real.OrderByDescending(c => Math.Abs(c.Effect)).Select(c => c.Feature), real.Select(c => c.Feature));
    }

    [Fact]
    public void An_effect_is_the_change_in_probability_when_the_input_takes_the_typical_value()
    {
        var model = ServingModel.Load(new MemoryStream(models.First), "v1");
        var song = models.Songs[1];
        var probe = song.Clone();
        probe.Decade = ServingModel.SmokeSong().Decade;

        var decade = Explanation.Explain(model, song).Single(c => c.Feature == "decade");

        Assert.Equal(model.Predict(song) - model.Predict(probe), decade.Effect, 5);
    }
}
