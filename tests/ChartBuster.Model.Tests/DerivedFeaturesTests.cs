using ChartBuster.Songs;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ChartBuster.Model.Tests;

public class DerivedFeaturesTests
{
    private static SongModelInput Song(double loudness, double energy, int decade)
    {
        var song = default(SongNumbers);
        song[SongColumn.Loudness] = loudness;
        song[SongColumn.Energy] = energy;
        song[SongColumn.Danceability] = 0.6;
        song[SongColumn.Valence] = 0.5;
        song[SongColumn.Acousticness] = 0.2;
        song[SongColumn.Tempo] = 120;
        song[SongColumn.DurationMs] = 200_000;
        song[SongColumn.TimeSignature] = 4;
        song[SongColumn.Sections] = 8;
        song[SongColumn.ChorusHit] = 30;
        song[SongColumn.Decade] = decade;
        return SongModelInput.FromSong(song);
    }

    private static (float[] Relative, float[] Interactions) Derive(MLContext ml, ITransformer derive, SongModelInput song)
    {
        var row = derive.Transform(ml.Data.LoadFromEnumerable([song]));
        return (row.GetColumn<float[]>(DerivedFeatures.DecadeRelativeColumn).Single(), row.GetColumn<float[]>(DerivedFeatures.InteractionsColumn).Single());
    }

    [Fact]
    public void Learns_each_decades_statistics_when_fitted_and_keeps_them_in_the_saved_model()
    {
        var ml = new MLContext(1);
        var training = new[] { Song(-14, 0.4, 1960), Song(-10, 0.5, 1960), Song(-12, 0.6, 1960), Song(-6, 0.7, 2010), Song(-4, 0.8, 2010) };
        var view = ml.Data.LoadFromEnumerable(training);
        var fitted = DerivedFeatures.Estimator(ml).Fit(view);
        using var zip = new MemoryStream();
        ml.Model.Save(fitted, view.Schema, zip);
        zip.Position = 0;
        var loaded = new MLContext().Model.Load(zip, out _);

        var (relative, _) = Derive(ml, loaded, Song(-8, 0.5, 1960));

        var loudness = DerivedFeatures.DecadeRelativeInputs.ToList().IndexOf("loudness");
        Assert.Equal((-8 - (-12)) / 2.0, relative[loudness], 5); // mean −12, sample sd 2 among the 1960s songs
        Assert.Equal(relative, Derive(ml, fitted, Song(-8, 0.5, 1960)).Relative);
        Assert.Equal((-8 - (-5)) / Math.Sqrt(2), Derive(ml, loaded, Song(-8, 0.5, 2010)).Relative[loudness], 5);
    }

    [Fact]
    public void A_decade_the_training_data_did_not_have_gets_missing_values_not_numbers()
    {
        var ml = new MLContext(1);
        var fitted = DerivedFeatures.Estimator(ml).Fit(ml.Data.LoadFromEnumerable([Song(-14, 0.4, 1960), Song(-10, 0.5, 1960)]));

        Assert.All(Derive(ml, fitted, Song(-8, 0.5, 1990)).Relative, v => Assert.True(float.IsNaN(v)));
        Assert.All(Derive(ml, fitted, Song(-8, 0.5, Decades.Unknown)).Relative, v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void Interactions_are_computed_from_the_songs_own_values()
    {
        var ml = new MLContext(1);
        var fitted = DerivedFeatures.Estimator(ml).Fit(ml.Data.LoadFromEnumerable([Song(-14, 0.4, 1960), Song(-10, 0.5, 1960)]));

        var (_, interactions) = Derive(ml, fitted, Song(-8, 0.9, 1960));

        Assert.Equal(DerivedFeatures.InteractionNames.Count, interactions.Length);
        Assert.Equal(0.9 - 0.2, interactions[0], 5);
        Assert.Equal(0.6 * 0.5, interactions[1], 5);
        Assert.Equal(-8 * 0.9, interactions[2], 4);
        Assert.Equal(0.6 + 0.9 + 0.5 - 0.2 - 0, interactions[5], 5);
    }
}
