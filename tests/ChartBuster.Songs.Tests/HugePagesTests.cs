namespace ChartBuster.Songs.Tests;

public class HugePagesTests
{
    [Theory]
    [InlineData(1024)]
    [InlineData(1_700_000)]
    public void A_table_comes_zeroed_and_of_the_size_asked_even_in_memory_a_collected_table_dirtied(int slots)
    {
        Dirty(slots);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var table = HugePages.ZeroedTable(slots);

        Assert.Equal(slots, table.Length);
        Assert.True(table.AsSpan().IndexOfAnyExcept(0UL) < 0);
    }

    private static void Dirty(int slots) => Array.Fill(HugePages.ZeroedTable(slots), ulong.MaxValue);
}
