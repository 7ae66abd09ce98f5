namespace ChartBuster.Songs.Tests;

public class SongHeaderTests
{
    [Fact]
    public void Finds_columns_in_any_order_and_case_and_lists_extra_ones()
    {
        var names = SongCsv.Header.Split(',').Reverse().Select(n => n.ToUpperInvariant()).Append(" Popularity ").ToList();

        var header = SongHeader.FromNames([.. names.Select(n => n.Trim())], requireTarget: true);

        Assert.True(header.IsUsable);
        Assert.Equal(0, header.OrdinalOf(SongColumn.Target));
        Assert.Equal(["Popularity"], header.ExtraColumns);
        Assert.False(header.Has(SongColumn.Decade));
    }

    [Fact]
    public void Reports_missing_and_repeated_columns()
    {
        var names = SongCsv.Header.Split(',').Where(n => n is not "energy" and not "tempo").Append("KEY").ToList();

        var header = SongHeader.FromNames(names, requireTarget: true);

        Assert.False(header.IsUsable);
        Assert.Equal(["energy", "tempo"], header.MissingColumns);
        Assert.Equal(["key"], header.RepeatedColumns);
    }

    [Fact]
    public void Does_not_require_target_for_scoring_input()
    {
        var names = SongCsv.Header.Split(',').Where(n => n != "target").ToList();

        Assert.True(SongHeader.FromNames(names, requireTarget: false).IsUsable);
        Assert.Equal(["target"], SongHeader.FromNames(names, requireTarget: true).MissingColumns);
    }
}
