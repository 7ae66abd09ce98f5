namespace ChartBuster.Songs.Tests;

public class SongFeaturesTests
{
    private delegate void Change(ref SongNumbers song);

    private static double[] Compute(Change? change = null)
    {
        var song = default(SongNumbers);
        song[SongColumn.Danceability] = 0.5;
        song[SongColumn.Energy] = 0.8;
        song[SongColumn.Speechiness] = 0.04;
        song[SongColumn.Acousticness] = 0.2;
        song[SongColumn.Instrumentalness] = 0;
        song[SongColumn.Liveness] = 0.1;
        song[SongColumn.Valence] = 0.25;
        song[SongColumn.Tempo] = 120;
        song[SongColumn.DurationMs] = 240_000;
        song[SongColumn.TimeSignature] = 4;
        song[SongColumn.ChorusHit] = 60;
        song[SongColumn.Sections] = 10;
        change?.Invoke(ref song);
        var features = new double[SongFeatures.EngineeredCount];
        SongFeatures.Compute(song, features);
        return features;
    }

    private static double Feature(double[] features, string name) =>
        features[SongFeatures.EngineeredNames.ToList().IndexOf(name)];

    [Fact]
    public void Computes_each_engineered_feature_from_its_definition()
    {
        var f = Compute();

        Assert.Equal(4, Feature(f, "duration_min"), 9);
        Assert.Equal(Math.Log(4), Feature(f, "log_duration_min"), 9);
        Assert.Equal(Math.Log(0.05), Feature(f, "log_speechiness"), 9);
        Assert.Equal(Math.Log(0.11), Feature(f, "log_liveness"), 9);
        Assert.Equal(Math.Log(0.201), Feature(f, "log_acousticness"), 9);
        Assert.Equal(Math.Log(0.0001), Feature(f, "log_instrumentalness"), 9);
        Assert.Equal(0, Feature(f, "is_instrumental"));
        Assert.Equal(1, Feature(f, "beat_detected"));
        Assert.Equal(0.25, Feature(f, "chorus_position"), 9);
        Assert.Equal(2.5, Feature(f, "sections_per_minute"), 9);
        Assert.Equal(0.4, Feature(f, "dance_energy"), 9);
        Assert.Equal(0.2, Feature(f, "happy_energy"), 9);
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(120, 0)]
    public void Marks_songs_where_spotify_found_no_beat(double tempo, double timeSignature)
    {
        var f = Compute((ref SongNumbers s) =>
        {
            s[SongColumn.Tempo] = tempo;
            s[SongColumn.TimeSignature] = timeSignature;
        });

        Assert.Equal(0, Feature(f, "beat_detected"));
    }

    [Fact]
    public void Every_feature_is_finite_at_the_edges_of_the_legal_ranges()
    {
        var f = Compute((ref SongNumbers s) =>
        {
            s[SongColumn.Speechiness] = 0;
            s[SongColumn.Liveness] = 0;
            s[SongColumn.Acousticness] = 0;
            s[SongColumn.Instrumentalness] = 1;
            s[SongColumn.DurationMs] = 1;
            s[SongColumn.ChorusHit] = 0;
            s[SongColumn.Sections] = 0;
        });

        Assert.All(f, v => Assert.True(double.IsFinite(v)));
        Assert.Equal(1, Feature(f, "is_instrumental"));
    }

    [Fact]
    public void Names_are_unique_and_do_not_clash_with_raw_columns()
    {
        var all = SongFeatures.EngineeredNames.Concat(SongFeatures.RawColumns.Select(SongSchema.NameOf)).ToList();

        Assert.Equal(all.Count, all.Distinct().Count());
    }
}
