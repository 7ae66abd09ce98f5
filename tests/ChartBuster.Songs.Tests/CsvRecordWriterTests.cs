using System.Text;
using ChartBuster.Songs.Csv;

namespace ChartBuster.Songs.Tests;

public class CsvRecordWriterTests
{
    [Fact]
    public void Quotes_only_fields_that_need_it_and_round_trips_through_the_reader()
    {
        var output = new MemoryStream();
        using (var writer = new CsvRecordWriter(output))
        {
            writer.WriteRecord(["plain", "with, comma", "say \"hi\"", "two\nlines", ""]);
        }

        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.Equal("plain,\"with, comma\",\"say \"\"hi\"\"\",\"two\nlines\",\n", text);
        var reader = new CsvRecordReader(new MemoryStream(output.ToArray()));
        Assert.True(reader.Read());
        Assert.Equal("say \"hi\"", Encoding.UTF8.GetString(reader[2]));
    }

    [Fact]
    public void Writes_records_larger_than_its_buffer()
    {
        var big = new string('x', 200_000) + ",";
        var output = new MemoryStream();
        using (var writer = new CsvRecordWriter(output))
        {
            writer.WriteRecord([big, "end"]);
        }

        Assert.Equal($"\"{big}\",end\n", Encoding.UTF8.GetString(output.ToArray()));
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.0, "1")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(0.1234564, "0.123456")]
    [InlineData(0.1234565, "0.123457")]
    [InlineData(-0.0000004, "0")]
    [InlineData(3.0000001, "3")]
    [InlineData(-9.21034037, "-9.21034")]
    [InlineData(1234567.000001, "1234567.000001")]
    [InlineData(1e13, "10000000000000")]
    public void Formats_numbers_with_at_most_six_decimals(double value, string expected)
    {
        Span<byte> buffer = stackalloc byte[64];

        var length = FixedDecimal.Format(value, buffer);

        Assert.Equal(expected, Encoding.UTF8.GetString(buffer[..length]));
    }

    [Fact]
    public void Refuses_to_write_a_non_finite_number()
    {
        var buffer = new byte[64];

        Assert.Throws<ArgumentOutOfRangeException>(() => FixedDecimal.Format(double.NaN, buffer));
    }
}
