using ChartBuster.Songs;

namespace ChartBuster.Model.Tests;

public class SongModelInputTests
{
    [Fact]
    public void The_vector_size_declared_for_ml_net_matches_the_features()
    {
        var schema = new Microsoft.ML.MLContext().Data.LoadFromEnumerable([new SongModelInput()]).Schema;
        var declared = ((Microsoft.ML.Data.VectorDataViewType)schema[nameof(SongModelInput.Numeric)].Type).Size;

        Assert.Equal(SongModelInput.NumericCount, declared);
        Assert.Equal(SongModelInput.NumericCount, SongModelInput.NumericNames.Count);
    }

    [Fact]
    public void Builds_the_model_input_from_raw_values_and_the_shared_features()
    {
        var song = default(SongNumbers);
        song[SongColumn.Energy] = 0.8;
        song[SongColumn.Key] = 4;
        song[SongColumn.Mode] = 1;
        song[SongColumn.TimeSignature] = 4;
        song[SongColumn.DurationMs] = 180_000;
        song[SongColumn.Decade] = 1990;
        song[SongColumn.Target] = 1;

        var input = SongModelInput.FromSong(song);

        Assert.Equal(0.8f, input.Numeric[SongModelInput.NumericNames.ToList().IndexOf("energy")]);
        Assert.Equal(3f, input.Numeric[SongModelInput.NumericNames.ToList().IndexOf("duration_min")]);
        Assert.Equal(("4", "1", "4", "1990", true), (input.Key, input.Mode, input.TimeSignature, input.Decade, input.Label));
    }

    [Fact]
    public void An_unknown_decade_is_its_own_category()
    {
        var song = default(SongNumbers);
        song[SongColumn.DurationMs] = 1000;

        Assert.Equal("unknown", SongModelInput.FromSong(song).Decade);
    }
}
