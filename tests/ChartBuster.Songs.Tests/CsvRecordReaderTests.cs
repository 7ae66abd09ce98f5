using System.Text;
using ChartBuster.Songs.Csv;

namespace ChartBuster.Songs.Tests;

public class CsvRecordReaderTests
{
    private static List<(long Line, string[] Fields, CsvMalformation Malformation)> ReadAll(string text, int bufferSize = 1 << 16)
    {
        var reader = new CsvRecordReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), bufferSize);
        var records = new List<(long, string[], CsvMalformation)>();
        while (reader.Read())
        {
            var fields = Enumerable.Range(0, reader.FieldCount).Select(i => Encoding.UTF8.GetString(reader[i])).ToArray();
            records.Add((reader.LineNumber, fields, reader.Malformation));
        }

        return records;
    }

    [Fact]
    public void Reads_quoted_fields_with_commas_doubled_quotes_and_newlines()
    {
        var records = ReadAll("a,b,c\n\"Hello, World\",\"She said \"\"hi\"\"\",\"two\nlines\"\nx,y,z\n");

        Assert.Equal(["Hello, World", "She said \"hi\"", "two\nlines"], records[1].Fields);
        Assert.Equal(["x", "y", "z"], records[2].Fields);
    }

    [Theory]
    [InlineData("a,b,c", false)]
    [InlineData("a b,c\td,e", false)]
    [InlineData(" a,b,c", true)]
    [InlineData("a,b\t,c", true)]
    [InlineData("a,,c ", true)]
    [InlineData("a,,c", false)]
    public void Tells_a_field_padded_with_a_blank_at_either_end(string line, bool padded)
    {
        var reader = new CsvRecordReader(new MemoryStream(Encoding.UTF8.GetBytes(line + "\n")));

        Assert.True(reader.Read());
        Assert.Equal(padded, reader.HasPaddedField());
    }

    [Fact]
    public void Splits_lines_of_every_length_around_the_vector_width()
    {
        var lines = Enumerable.Range(1, 80).Select(n => string.Join(',', Enumerable.Range(0, n).Select(i => new string((char)('a' + (i % 26)), 1 + (i % 3))))).ToArray();

        var records = ReadAll(string.Join("\n", lines) + "\n", bufferSize: 64);

        Assert.Equal(lines, records.Select(r => string.Join(',', r.Fields)));
    }

    [Fact]
    public void Line_numbers_count_physical_lines_including_newlines_inside_quotes_and_blank_lines()
    {
        var records = ReadAll("h1,h2\n\"multi\nline\nvalue\",1\n\nlast,2\n");

        Assert.Equal([1L, 2L, 6L], records.Select(r => r.Line));
    }

    [Fact]
    public void Skips_a_byte_order_mark()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("track,uri\nx,y\n")).ToArray();
        var reader = new CsvRecordReader(new MemoryStream(bytes));

        Assert.True(reader.Read());
        Assert.Equal("track", Encoding.UTF8.GetString(reader[0]));
    }

    [Theory]
    [InlineData("a,b\r\n1,2\r\n")]
    [InlineData("a,b\n1,2\n")]
    [InlineData("a,b\r1,2\r")]
    [InlineData("a,b\n1,2")]
    [InlineData("a,b\n1,2\n\n\n")]
    [InlineData("a,b\r\n1,2\r\n\r\n  \r\n")]
    public void Reads_the_same_records_whatever_the_line_ends_and_trailing_blank_lines(string text)
    {
        var records = ReadAll(text);

        Assert.Equal(2, records.Count);
        Assert.Equal(["1", "2"], records[1].Fields);
    }

    [Fact]
    public void Counts_skipped_blank_lines()
    {
        var reader = new CsvRecordReader(new MemoryStream("a\n\n1\n\n\n"u8.ToArray()));
        while (reader.Read())
        {
        }

        Assert.Equal(3, reader.BlankLinesSkipped);
    }

    [Fact]
    public void Keeps_empty_fields_including_a_trailing_one()
    {
        var records = ReadAll("a,,c,\n");

        Assert.Equal(["a", "", "c", ""], records[0].Fields);
    }

    [Fact]
    public void Flags_an_unterminated_quote_at_the_end_of_input()
    {
        var records = ReadAll("a,b\n1,\"never closed\n");

        Assert.Equal(CsvMalformation.UnterminatedQuote, records[1].Malformation);
    }

    [Fact]
    public void Flags_text_after_a_closing_quote_without_losing_the_next_record()
    {
        var records = ReadAll("a,b\n\"x\"y,1\n2,3\n");

        Assert.Equal(CsvMalformation.TextAfterClosingQuote, records[1].Malformation);
        Assert.Equal(["2", "3"], records[2].Fields);
    }

    [Fact]
    public void Refuses_a_record_longer_than_the_limit_with_its_line()
    {
        var text = "a\n\"" + new string('x', 5000);
        var reader = new CsvRecordReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), bufferSize: 256, maxRecordBytes: 1024);
        reader.Read();

        var error = Assert.Throws<CsvRecordTooLongException>(() => reader.Read());
        Assert.Equal(2, error.Line);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(64)]
    public void Records_that_straddle_buffer_boundaries_read_the_same_as_with_a_large_buffer(int bufferSize)
    {
        var text = "track,artist,n\r\n\"A, \"\"quoted\"\"\r\nname\",Band,1\r\nplain,\"x\",2\n\n\"\",,3\r\nend,\"é ü 漢\",4";

        var small = ReadAll(text, bufferSize);
        var large = ReadAll(text);

        Assert.Equal(large.Count, small.Count);
        for (var i = 0; i < large.Count; i++)
        {
            Assert.Equal(large[i].Line, small[i].Line);
            Assert.Equal(large[i].Fields, small[i].Fields);
        }

        Assert.Equal("A, \"quoted\"\r\nname", large[1].Fields[0]);
        Assert.Equal(6, large[3].Line);
        Assert.Equal(7, large[4].Line);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(31)]
    [InlineData(100)]
    public void Long_plain_lines_split_the_same_whatever_the_buffer_and_line_ends(int bufferSize)
    {
        var line = string.Join(',', Enumerable.Range(0, 40).Select(i => i % 3 == 0 ? "" : new string((char)('a' + (i % 26)), i % 19)));
        var text = $"{line}\r\n{line}\n\r\n{line}\r{line},\"q\"\n{line}";

        var small = ReadAll(text, bufferSize);
        var large = ReadAll(text);

        Assert.Equal(5, large.Count);
        Assert.Equal(large.Select(r => (r.Line, string.Join("|", r.Fields))), small.Select(r => (r.Line, string.Join("|", r.Fields))));
        Assert.Equal(line.Split(','), large[0].Fields);
        Assert.Equal([.. line.Split(','), "q"], large[3].Fields);
        Assert.Equal(line.Split(','), large[4].Fields);
    }
}
