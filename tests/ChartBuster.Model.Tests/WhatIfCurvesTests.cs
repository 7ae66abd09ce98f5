using ChartBuster.Model.Serving;
using ChartBuster.Songs;

namespace ChartBuster.Model.Tests;

public sealed class WhatIfCurvesTests(ReferencedModel fixture) : IClassFixture<ReferencedModel>
{
    [Fact]
    public void Each_curve_passes_through_the_song_itself()
    {
        var song = fixture.RealSong(11);
        var probability = fixture.Model.Predict(SongModelInput.FromSong(song));

        var view = WhatIfCurves.Compute(fixture.Model, song, fixture.Reference.Training);

        Assert.Equal(probability, view.Probability, 6);
        Assert.Equal(SongFeatures.RawColumns, view.Curves.Select(c => c.Column));
        Assert.All(view.Curves, c => Assert.Equal(probability, c.Points.Single(p => p.Value == Math.Round(song[c.Column], 6)).Probability, 6));
    }

    [Fact]
    public void A_point_is_the_song_with_only_that_input_changed()
    {
        var song = fixture.RealSong(2);
        var view = WhatIfCurves.Compute(fixture.Model, song, fixture.Reference.Training);
        var point = view.Curves.Single(c => c.Column == SongColumn.Valence).Points[3];

        var changed = song;
        changed[SongColumn.Valence] = point.Value;

        Assert.Equal(fixture.Model.Predict(SongModelInput.FromSong(changed)), point.Probability, 6);
    }

    [Fact]
    public void Spans_the_training_songs_and_keeps_each_point_a_legal_song()
    {
        var song = fixture.RealSong(4);
        var spread = fixture.Reference.Training.Inputs;

        var energy = WhatIfCurves.Grid(SongColumn.Energy, song, fixture.Reference.Training);
        var key = WhatIfCurves.Grid(SongColumn.Key, song, fixture.Reference.Training);
        var chorus = WhatIfCurves.Grid(SongColumn.ChorusHit, song, fixture.Reference.Training);

        Assert.Equal(Math.Min(spread["energy"].P1, song[SongColumn.Energy]), energy[0], 6);
        Assert.Equal(Math.Max(spread["energy"].P99, song[SongColumn.Energy]), energy[^1], 6);
        Assert.InRange(energy.Count, WhatIfCurves.PointsPerCurve, WhatIfCurves.PointsPerCurve + 1);
        Assert.Equal(spread["key"].Values, key);
        Assert.All(chorus, c => Assert.True(c <= song[SongColumn.DurationMs] / 1000));
    }

    [Fact]
    public void The_time_machine_scores_the_song_in_every_decade_the_model_knows()
    {
        var song = fixture.RealSong(8);

        var view = WhatIfCurves.Compute(fixture.Model, song, fixture.Reference.Training);

        Assert.Equal([2000, 2010], view.Decades.Select(d => d.Decade));
        Assert.Equal(view.Probability, view.Decades.Single(d => d.Decade == (int)song[SongColumn.Decade]).Probability, 6);
        var moved = song;
        moved[SongColumn.Decade] = 2000;
        Assert.Equal(fixture.Model.Predict(SongModelInput.FromSong(moved)), view.Decades[0].Probability, 6);
    }
}
