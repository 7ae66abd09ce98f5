using System.Globalization;
using System.Text;
using ChartBuster.Songs.Csv;

namespace ChartBuster.Songs.Tests;

public class FastDecimalTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-7.27")]
    [InlineData("+0.5")]
    [InlineData(".5")]
    [InlineData("1.")]
    [InlineData("0.000111")]
    [InlineData("433.182")]
    [InlineData("4170227")]
    [InlineData("123456789012345")]
    [InlineData("0.1234567890123456789")]
    [InlineData("1e-3")]
    [InlineData("-0")]
    public void Gives_the_same_bits_as_double_parse(string text)
    {
        Assert.True(FastDecimal.TryParse(Encoding.UTF8.GetBytes(text), out var fast));

        Assert.Equal(BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(fast));
    }

    [Fact]
    public void Gives_the_same_bits_as_double_parse_for_a_hundred_thousand_random_decimals()
    {
        var random = new Random(20261123);
        for (var i = 0; i < 100_000; i++)
        {
            var whole = random.Next(0, 100_000);
            var fraction = random.NextInt64(0, 10_000_000_000);
            var text = $"{(random.Next(2) == 0 ? "-" : "")}{whole}.{fraction.ToString(CultureInfo.InvariantCulture).PadLeft(random.Next(1, 11), '0')}";

            Assert.True(FastDecimal.TryParse(Encoding.UTF8.GetBytes(text), out var fast), text);
            Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture), fast);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("1.2.3")]
    [InlineData("12a")]
    [InlineData("--1")]
    public void Refuses_what_is_not_a_number(string text) =>
        Assert.False(FastDecimal.TryParse(Encoding.UTF8.GetBytes(text), out _));

    [Theory]
    [InlineData("1.2e-05")]
    [InlineData("3E+2")]
    [InlineData("-4.5e-3")]
    [InlineData("9.99e22")]
    [InlineData("1e-22")]
    [InlineData("1e-23")]
    [InlineData("123456789012345e-22")]
    [InlineData("1e400")]
    public void Reads_exponents_with_the_same_bits_as_double_parse(string text)
    {
        Assert.True(FastDecimal.TryParse(Encoding.UTF8.GetBytes(text), out var fast));

        Assert.Equal(BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(fast));
    }

    [Theory]
    [InlineData("1e")]
    [InlineData("1e-")]
    [InlineData("1e+x")]
    [InlineData("e5")]
    public void Refuses_a_broken_exponent(string text) =>
        Assert.False(FastDecimal.TryParse(Encoding.UTF8.GetBytes(text), out _));

    [Fact]
    public void Gives_the_same_bits_as_double_parse_for_random_numbers_with_exponents()
    {
        var random = new Random(20261129);
        for (var i = 0; i < 100_000; i++)
        {
            var mantissa = random.NextInt64(0, 1_000_000_000_000_000);
            var text = $"{mantissa.ToString(CultureInfo.InvariantCulture).Insert(random.Next(1, 4), ".")}e{random.Next(-30, 30)}";

            Assert.True(FastDecimal.TryParse(Encoding.UTF8.GetBytes(text), out var fast), text);
            Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture), fast);
        }
    }

    [Fact]
    public void Reading_fields_a_word_at_a_time_gives_the_same_bits_as_double_parse_or_declines()
    {
        var random = new Random(7);
        var fields = new List<string> { "0", "-0", ".5", "5.", "-.5", "-", "", "1e5", "+1", " 1", "1 ", "12345678", "123456789", "0.12345678", "00000001.10000000", "1.2.3", "7x" };
        for (var i = 0; i < 20_000; i++)
        {
            var digits = random.NextInt64(1_000_000, 10_000_000).ToString(CultureInfo.InvariantCulture);
            var whole = random.Next(4) == 0 ? "" : digits[..random.Next(1, 8)];
            var fraction = random.Next(3) == 0 ? "" : "." + random.NextInt64(0, 100_000_000).ToString(CultureInfo.InvariantCulture).PadLeft(8, '0')[..random.Next(0, 9)];
            fields.Add((random.Next(5) == 0 ? "-" : "") + whole + fraction);
        }

        var reader = new CsvRecordReader(new MemoryStream(Encoding.UTF8.GetBytes(string.Join(',', fields))), bufferSize: 1 << 20);
        Assert.True(reader.Read());
        var ordinals = Enumerable.Range(0, fields.Count).ToArray();
        var values = new double[fields.Count];
        var taken = 0;
        for (var next = 0; next < fields.Count; next++)
        {
            var read = reader.TryGetNumbers(ordinals.AsSpan(next, 1), values.AsSpan(next, 1));
            var parses = double.TryParse(fields[next], NumberStyles.Float, CultureInfo.InvariantCulture, out var expected);
            if (read == 1)
            {
                taken++;
                Assert.True(parses, fields[next]);
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(values[next]));
            }
        }

        Assert.True(taken > 15_000, $"{taken} taken");
        Assert.Equal(fields.Count, reader.FieldCount);
    }
}
