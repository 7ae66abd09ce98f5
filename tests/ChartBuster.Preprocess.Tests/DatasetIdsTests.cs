namespace ChartBuster.Preprocess.Tests;

public class DatasetIdsTests
{
    [Fact]
    public void The_same_key_and_etag_always_give_the_same_id_quotes_or_not() =>
        Assert.Equal(DatasetIds.From("a/songs.csv", "abc"), DatasetIds.From("a/songs.csv", "\"abc\""));

    [Fact]
    public void A_new_version_or_another_key_gives_another_id()
    {
        var id = DatasetIds.From("a/songs.csv", "abc");

        Assert.NotEqual(id, DatasetIds.From("a/songs.csv", "abd"));
        Assert.NotEqual(id, DatasetIds.From("b/songs.csv", "abc"));
    }

    [Theory]
    [InlineData("uploads/Dataset of 60s (final).csv.gz", "dataset-of-60s-final-")]
    [InlineData("!!!.csv", "dataset-")]
    public void Ids_start_with_a_readable_slug_of_the_file_name(string key, string prefix)
    {
        var id = DatasetIds.From(key, "e");

        Assert.StartsWith(prefix, id, StringComparison.Ordinal);
        Assert.Matches("^[a-z0-9-]+-[0-9a-f]{16}$", id);
    }
}
