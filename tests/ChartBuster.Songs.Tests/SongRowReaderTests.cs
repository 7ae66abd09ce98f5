using ChartBuster.Songs.Csv;

namespace ChartBuster.Songs.Tests;

public class SongRowReaderTests
{
    private static (bool Ok, Rejection Rejection, SongNumbers Song) Read(string csv, string fileName = "upload.csv")
    {
        var reader = new CsvRecordReader(SongCsv.Stream(csv));
        reader.Read();
        var header = SongHeader.Read(reader, requireTarget: true);
        var rows = new SongRowReader(header, Decades.FromFileName(fileName));
        reader.Read();
        var song = default(SongNumbers);
        var ok = rows.TryRead(reader, ref song, out var rejection);
        return (ok, rejection, song);
    }

    [Theory]
    [InlineData("energy", "1.0001", RejectReason.OutOfRange)]
    [InlineData("energy", "-0.1", RejectReason.OutOfRange)]
    [InlineData("danceability", "1.5", RejectReason.OutOfRange)]
    [InlineData("speechiness", "2", RejectReason.OutOfRange)]
    [InlineData("acousticness", "-0.001", RejectReason.OutOfRange)]
    [InlineData("instrumentalness", "1.01", RejectReason.OutOfRange)]
    [InlineData("liveness", "7", RejectReason.OutOfRange)]
    [InlineData("valence", "-1", RejectReason.OutOfRange)]
    [InlineData("key", "12", RejectReason.OutOfRange)]
    [InlineData("key", "-2", RejectReason.OutOfRange)]
    [InlineData("key", "4.5", RejectReason.NotAnInteger)]
    [InlineData("mode", "2", RejectReason.OutOfRange)]
    [InlineData("mode", "0.5", RejectReason.NotAnInteger)]
    [InlineData("loudness", "-61", RejectReason.OutOfRange)]
    [InlineData("loudness", "12", RejectReason.OutOfRange)]
    [InlineData("tempo", "-1", RejectReason.OutOfRange)]
    [InlineData("tempo", "301", RejectReason.OutOfRange)]
    [InlineData("duration_ms", "0", RejectReason.OutOfRange)]
    [InlineData("duration_ms", "196707.5", RejectReason.NotAnInteger)]
    [InlineData("duration_ms", "99999999", RejectReason.OutOfRange)]
    [InlineData("time_signature", "8", RejectReason.OutOfRange)]
    [InlineData("time_signature", "-1", RejectReason.OutOfRange)]
    [InlineData("chorus_hit", "-3", RejectReason.OutOfRange)]
    [InlineData("chorus_hit", "200", RejectReason.ChorusAfterEnd)]
    [InlineData("sections", "-1", RejectReason.OutOfRange)]
    [InlineData("sections", "2.5", RejectReason.NotAnInteger)]
    [InlineData("target", "2", RejectReason.OutOfRange)]
    [InlineData("target", "0.5", RejectReason.NotAnInteger)]
    [InlineData("energy", "", RejectReason.MissingValue)]
    [InlineData("energy", "   ", RejectReason.MissingValue)]
    [InlineData("tempo", "", RejectReason.MissingValue)]
    [InlineData("target", "", RejectReason.MissingValue)]
    [InlineData("uri", "", RejectReason.MissingValue)]
    [InlineData("energy", "loud", RejectReason.NotANumber)]
    [InlineData("energy", "NaN", RejectReason.NotANumber)]
    [InlineData("tempo", "Infinity", RejectReason.NotANumber)]
    [InlineData("loudness", "-7,27", RejectReason.NotANumber)]
    [InlineData("key", "0x4", RejectReason.NotANumber)]
    public void Rejects_a_value_that_breaks_its_column_rule(string column, string value, RejectReason expected)
    {
        var csv = SongCsv.File(SongCsv.Row((column, value.Contains(',') ? $"\"{value}\"" : value)));

        var (ok, rejection, _) = Read(csv);

        Assert.False(ok);
        Assert.Equal(expected, rejection.Reason);
        Assert.Equal(column, SongSchema.NameOf(rejection.Column!.Value));
    }

    [Theory]
    [InlineData("tempo", "0")]
    [InlineData("time_signature", "0")]
    [InlineData("time_signature", "1")]
    [InlineData("instrumentalness", "0")]
    [InlineData("key", "-1")]
    [InlineData("key", "4.0")]
    [InlineData("loudness", "3.744")]
    [InlineData("energy", " 0.5 ")]
    [InlineData("energy", "1")]
    [InlineData("acousticness", "1e-3")]
    [InlineData("sections", "0")]
    [InlineData("chorus_hit", "0")]
    [InlineData("chorus_hit", "196.707")]
    [InlineData("track", "")]
    [InlineData("track", "\"Hello, \"\"World\"\"\"")]
    [InlineData("track", "\"Two\nlines\"")]
    public void Accepts_the_legal_oddities_of_real_data(string column, string value)
    {
        var (ok, rejection, _) = Read(SongCsv.File(SongCsv.Row((column, value))));

        Assert.True(ok, $"rejected as {rejection}");
    }

    [Fact]
    public void Reads_the_values_it_validated()
    {
        var (ok, _, song) = Read(SongCsv.File(SongCsv.Row()), "dataset-of-00s.csv");

        Assert.True(ok);
        Assert.Equal(0.471, song[SongColumn.Energy]);
        Assert.Equal(196707, song[SongColumn.DurationMs]);
        Assert.Equal(1, song[SongColumn.Target]);
        Assert.Equal(2000, song[SongColumn.Decade]);
    }

    [Fact]
    public void Rejects_a_row_with_too_few_or_too_many_fields()
    {
        Assert.Equal(RejectReason.WrongFieldCount, Read(SongCsv.File("a,b,c")).Rejection.Reason);
        Assert.Equal(RejectReason.WrongFieldCount, Read(SongCsv.File(SongCsv.Row() + ",extra")).Rejection.Reason);
    }

    [Fact]
    public void Rejects_a_row_with_broken_quotes()
    {
        var row = SongCsv.Row(("track", "\"Lucky\" Man"));

        Assert.Equal(RejectReason.MalformedQuotes, Read(SongCsv.File(row)).Rejection.Reason);
    }

    [Theory]
    [InlineData("1960", 1960)]
    [InlineData("1990s", 1990)]
    [InlineData("80s", 1980)]
    [InlineData("10s", 2010)]
    [InlineData("", 2000)]
    public void Takes_the_decade_from_its_column_before_the_file_name(string cell, int expected)
    {
        var csv = $"{SongCsv.Header},decade\n{SongCsv.Row()},{cell}\n";

        var (ok, _, song) = Read(csv, "dataset-of-00s.csv");

        Assert.True(ok);
        Assert.Equal(expected, song[SongColumn.Decade]);
    }

    [Theory]
    [InlineData("1965")]
    [InlineData("sixties")]
    [InlineData("1850")]
    [InlineData("123")]
    public void Rejects_a_decade_that_is_not_one(string cell)
    {
        var csv = $"{SongCsv.Header},decade\n{SongCsv.Row()},{cell}\n";

        var (ok, rejection, _) = Read(csv);

        Assert.False(ok);
        Assert.Equal(new Rejection(SongColumn.Decade, RejectReason.InvalidDecade), rejection);
    }
}
