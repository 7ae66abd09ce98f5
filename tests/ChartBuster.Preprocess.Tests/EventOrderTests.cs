namespace ChartBuster.Preprocess.Tests;

public sealed class EventOrderTests
{
    [Theory]
    [InlineData("0055AED6DCD90281E5", "0055AED6DCD90281E6", -1)]
    [InlineData("55AED6DCD90281E6", "0055AED6DCD90281E5", 1)]
    [InlineData("FF", "0100", -1)]
    [InlineData("0a", "0A", 0)]
    public void Sequencers_compare_as_hexadecimal_after_padding_the_shorter_with_zeros(string first, string second, int expected)
    {
        Assert.Equal(expected, Math.Sign(EventOrder.Compare(first, second)));
    }
}
