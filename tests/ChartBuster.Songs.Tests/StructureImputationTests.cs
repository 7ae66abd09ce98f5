namespace ChartBuster.Songs.Tests;

public class StructureImputationTests
{
    /// <summary>Songs of 1 to 10 minutes whose chorus comes at a fifth of the song and which have 3 sections a minute.</summary>
    private static readonly StructureImputation s_regular = StructureImputation.Learn(
        [.. Enumerable.Range(1, 100).Select(i => (DurationMs: i * 6_000.0, ChorusHit: i * 6.0 / 5, Sections: i * 0.3))], bands: 4);

    [Fact]
    public void Learns_each_length_band_from_the_songs_in_it()
    {
        Assert.Equal(3, s_regular.DurationUpperBoundsMs.Count);
        Assert.All(s_regular.ChorusShare, share => Assert.Equal(0.2, share, 6));
        Assert.All(s_regular.SectionsPerMinute, pace => Assert.Equal(3, pace, 6));
    }

    [Fact]
    public void Fills_in_chorus_hit_and_sections_from_the_length_and_says_so()
    {
        var values = SongTextTests.SongFields(SongColumn.DurationMs, 240_000);
        values.Remove(SongColumn.ChorusHit);
        values[SongColumn.Sections] = null;

        var filled = s_regular.Fill(values);

        Assert.Equal([SongColumn.ChorusHit, SongColumn.Sections], filled);
        Assert.Equal(48, values[SongColumn.ChorusHit]);
        Assert.Equal(12, values[SongColumn.Sections]);
    }

    [Fact]
    public void Never_touches_a_value_that_was_given()
    {
        var values = SongTextTests.SongFields(SongColumn.ChorusHit, 80);
        values.Remove(SongColumn.Sections);

        var filled = s_regular.Fill(values);

        Assert.Equal([SongColumn.Sections], filled);
        Assert.Equal(80, values[SongColumn.ChorusHit]);
    }

    [Fact]
    public void Fills_in_nothing_without_a_legal_length()
    {
        var values = SongTextTests.SongFields(SongColumn.DurationMs, -5);
        values.Remove(SongColumn.ChorusHit);

        Assert.Empty(s_regular.Fill(values));
        Assert.False(values.ContainsKey(SongColumn.ChorusHit));
    }

    [Fact]
    public void A_filled_in_song_passes_the_cleaning_rules_even_when_very_short()
    {
        var values = SongTextTests.SongFields(SongColumn.DurationMs, 4_000);
        values.Remove(SongColumn.ChorusHit);
        values.Remove(SongColumn.Sections);

        var problems = SongInput.Validate(values, 2010, s_regular, out var song, out var imputed);

        Assert.Empty(problems);
        Assert.Equal(2, imputed.Count);
        Assert.True(song[SongColumn.ChorusHit] <= 4);
        Assert.True(song[SongColumn.Sections] >= 1);
    }

    [Fact]
    public void Without_an_imputation_the_structure_inputs_stay_required()
    {
        var values = SongTextTests.SongFields(SongColumn.Energy, 0.5);
        values.Remove(SongColumn.Sections);

        var problems = SongInput.Validate(values, 2010, imputation: null, out _, out var imputed);

        Assert.Empty(imputed);
        Assert.Equal("sections is required.", Assert.Single(problems).Message);
    }
}
