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

    [Fact]
    public async Task When_the_caller_flushes_nothing_is_written_synchronously_and_the_bytes_are_those_of_the_synchronous_writer()
    {
        var records = Enumerable.Range(0, 5_000).Select(i => new[] { $"song {i}", new string('x', i % 300), i.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToList();
        records.Insert(2_500, [new string('y', 200_000)]); // longer than the buffer: it grows instead of writing
        var expected = new MemoryStream();
        using (var writer = new CsvRecordWriter(expected))
        {
            records.ForEach(writer.WriteRecord);
        }

        var output = new AsyncOnlyStream();
        using (var writer = new CsvRecordWriter(output, callerFlushesAsync: true))
        {
            foreach (var record in records)
            {
                writer.WriteRecord(record);
                if (writer.IsFull)
                {
                    await writer.FlushAsync(CancellationToken.None);
                }
            }

            await writer.FlushAsync(CancellationToken.None);
        }

        Assert.Equal(expected.ToArray(), output.ToArray());
        Assert.True(output.AsyncWrites > 5, $"{output.AsyncWrites} writes"); // written as it went, not once at the end
    }

    /// <summary>A write-only stream that fails a synchronous write, as an S3 upload does; what it was given is kept.</summary>
    private sealed class AsyncOnlyStream : Stream
    {
        private readonly MemoryStream _written = new();

        public int AsyncWrites { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _written.Length;

        public override long Position
        {
            get => _written.Position;
            set => throw new NotSupportedException();
        }

        public byte[] ToArray() => _written.ToArray();

        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("a synchronous write");

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            AsyncWrites++;
            _written.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.0, "1")]
    [InlineData(0.9999999, "1")]
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
    public void Writes_integers_of_every_width()
    {
        var stream = new MemoryStream();
        using (var writer = new CsvRecordWriter(stream))
        {
            foreach (var value in (long[])[0, 7, -5, 999, 1000, 1990, 2010, 9999, 10000, -1000, 123456789012])
            {
                writer.WriteInteger(value);
            }

            writer.EndRecord();
        }

        Assert.Equal("0,7,-5,999,1000,1990,2010,9999,10000,-1000,123456789012\n", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Writes_several_numbers_as_one_at_a_time_would()
    {
        double[] values = [0, 1, -9.21034037, 0.1234565, 1e13, 3.0000001, -0.0000004];
        var (one, many) = (new MemoryStream(), new MemoryStream());
        using (var writer = new CsvRecordWriter(one))
        {
            writer.WriteField("x"u8);
            foreach (var value in values)
            {
                writer.WriteNumber(value);
            }

            writer.EndRecord();
        }

        using (var writer = new CsvRecordWriter(many))
        {
            writer.WriteField("x"u8);
            writer.WriteNumbers(values);
            writer.EndRecord();
        }

        Assert.Equal("x,0,1,-9.21034,0.123457,10000000000000,3,0\n", Encoding.UTF8.GetString(many.ToArray()));
        Assert.Equal(one.ToArray(), many.ToArray());
    }

    [Fact]
    public void Refuses_to_write_a_non_finite_number()
    {
        var buffer = new byte[64];

        Assert.Throws<ArgumentOutOfRangeException>(() => FixedDecimal.Format(double.NaN, buffer));
    }
}
