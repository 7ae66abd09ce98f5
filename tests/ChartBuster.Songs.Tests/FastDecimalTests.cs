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
}
