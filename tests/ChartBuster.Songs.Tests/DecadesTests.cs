namespace ChartBuster.Songs.Tests;

public class DecadesTests
{
    [Theory]
    [InlineData("dataset-of-60s.csv", 1960)]
    [InlineData("dataset-of-00s.csv", 2000)]
    [InlineData("dataset-of-10s.csv", 2010)]
    [InlineData("s3://raw/uploads/My Songs (1990s).csv.gz", 1990)]
    [InlineData("/data/DATASET-OF-80S.CSV", 1980)]
    [InlineData("songs.csv", Decades.Unknown)]
    [InlineData("top100.csv", Decades.Unknown)]
    [InlineData("1960s-folder/songs.csv", Decades.Unknown)]
    public void Reads_the_decade_from_a_file_name(string path, int expected) =>
        Assert.Equal(expected, Decades.FromFileName(path));
}
