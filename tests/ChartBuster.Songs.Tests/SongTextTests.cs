namespace ChartBuster.Songs.Tests;

public class SongTextTests
{
    [Theory]
    [InlineData("C", 0)]
    [InlineData("c#", 1)]
    [InlineData("C♯", 1)]
    [InlineData("Db", 1)]
    [InlineData("D♭", 1)]
    [InlineData("F sharp", 6)]
    [InlineData("G flat", 6)]
    [InlineData("B", 11)]
    [InlineData("Cb", 11)]
    [InlineData("B#", 0)]
    [InlineData("A♯/B♭", 10)]
    [InlineData("5", 5)]
    [InlineData("-1", -1)]
    [InlineData("unknown", -1)]
    public void Reads_a_key_as_a_note_name_or_spotifys_number(string text, double key)
    {
        Assert.True(SongText.TryParseKey(text, out var value));
        Assert.Equal(key, value);
    }

    [Theory]
    [InlineData("H")]
    [InlineData("C##")]
    [InlineData("")]
    [InlineData("major")]
    public void Refuses_what_is_not_a_key(string text) => Assert.False(SongText.TryParseKey(text, out _));

    [Theory]
    [InlineData("major", 1)]
    [InlineData("Minor", 0)]
    [InlineData("maj", 1)]
    [InlineData("0", 0)]
    public void Reads_a_mode_as_major_or_minor(string text, double mode)
    {
        Assert.True(SongText.TryParseMode(text, out var value));
        Assert.Equal(mode, value);
    }

    [Theory]
    [InlineData("3:40", 220_000)]
    [InlineData("0:05", 5_000)]
    [InlineData("12:03", 723_000)]
    [InlineData("2:56.88", 176_880)]
    [InlineData("1:02:03", 3_723_000)]
    public void Reads_a_length_as_minutes_and_seconds(string text, double milliseconds)
    {
        Assert.True(SongText.TryParseDuration(text, out var value));
        Assert.Equal(milliseconds, value);
    }

    [Theory]
    [InlineData("220")]
    [InlineData("3:4")]
    [InlineData("3:60")]
    [InlineData("3:")]
    [InlineData(":40")]
    [InlineData("a:bc")]
    [InlineData("-3:40")]
    public void Refuses_a_length_that_is_not_minutes_and_seconds(string text) => Assert.False(SongText.TryParseDuration(text, out _));

    [Theory]
    [InlineData(220_000, "3:40")]
    [InlineData(176_880, "2:56.88")]
    [InlineData(3_723_000, "1:02:03")]
    public void Writes_a_length_that_reads_back_to_the_same_milliseconds(double milliseconds, string text)
    {
        Assert.Equal(text, SongText.FormatDuration(milliseconds));
        Assert.True(SongText.TryParseDuration(text, out var back));
        Assert.Equal(milliseconds, back);
    }

    [Fact]
    public void Names_keys_and_modes()
    {
        Assert.Equal("F♯/G♭", SongText.KeyName(6));
        Assert.Equal("unknown", SongText.KeyName(-1));
        Assert.Equal("minor", SongText.ModeName(0));
    }

    [Fact]
    public void Relaxed_inputs_are_still_checked_by_the_cleaning_rules()
    {
        Assert.Null(SongInput.TryRead(SongColumn.Key, "Eb", false, out var key));
        Assert.Equal(3, key);
        Assert.NotNull(SongInput.TryRead(SongColumn.DurationMs, "abc", true, out _));
        Assert.Equal("energy must be a number.", SongInput.TryRead(SongColumn.Energy, "high", false, out _)!.Message);

        var values = SongFields(SongColumn.DurationMs, 20_000 * 60_000.0);
        var problems = SongInput.Validate(values, 2010, imputation: null, out _, out _);

        Assert.Contains(problems, p => p.Field == "duration_ms" && p.Reason == RejectReason.OutOfRange);
    }

    internal static Dictionary<SongColumn, double?> SongFields(SongColumn change, double value)
    {
        var values = new Dictionary<SongColumn, double?>
        {
            [SongColumn.Danceability] = 0.6, [SongColumn.Energy] = 0.7, [SongColumn.Key] = 5, [SongColumn.Loudness] = -6,
            [SongColumn.Mode] = 1, [SongColumn.Speechiness] = 0.05, [SongColumn.Acousticness] = 0.1, [SongColumn.Instrumentalness] = 0,
            [SongColumn.Liveness] = 0.1, [SongColumn.Valence] = 0.5, [SongColumn.Tempo] = 120, [SongColumn.DurationMs] = 200_000,
            [SongColumn.TimeSignature] = 4, [SongColumn.ChorusHit] = 30, [SongColumn.Sections] = 9,
        };
        values[change] = value;
        return values;
    }
}
