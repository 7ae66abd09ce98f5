using System.Text;
using ChartBuster.LocalWiring;
using ChartBuster.Songs;

namespace ChartBuster.EndToEnd.Tests;

/// <summary>The demo dataset of the local stack on its own.</summary>
public sealed class LocalWiringTests
{
    private static string Sample(int rows, int seed)
    {
        using var writer = new StringWriter();
        SampleSongs.Write(writer, rows, seed);
        return writer.ToString();
    }

    [Fact]
    public void The_sample_is_the_same_for_a_seed_and_differs_between_seeds()
    {
        Assert.Equal(Sample(500, 7), Sample(500, 7));
        Assert.NotEqual(Sample(500, 7), Sample(500, 8));
    }

    [Fact]
    public async Task The_sample_passes_cleaning_with_only_its_planted_problems_rejected()
    {
        var bytes = Encoding.UTF8.GetBytes(Sample(6000, 1958));
        var store = new MemoryDatasetStore();

        var report = await new DatasetPreparer(new CleaningOptions()).PrepareAsync(
            _ => Task.FromResult<Stream>(new MemoryStream(bytes)), "sample-songs.csv", "sample", store, CancellationToken.None);

        Assert.Equal("ready", report.Status);
        Assert.Equal(6000, report.RowsRead);
        Assert.Equal(["duplicate", "missing_value"], report.RejectedByReason.Keys);
        Assert.InRange(report.RowsRejected, 20, 40);
        Assert.InRange(report.DuplicatesRemoved, 10, 20);
        Assert.Equal("column", report.DecadeSource);
    }

    [Fact]
    public void Hits_and_non_hits_in_the_sample_differ_the_way_they_do_in_the_real_data()
    {
        var rows = Sample(6000, 1958).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(line => line[(line.IndexOf("spotify:track:", StringComparison.Ordinal) + "spotify:track:".Length + 23)..].Split(','))
            .Where(fields => fields.All(f => f.Length > 0))
            .ToList();
        double Mean(bool hit, int column) =>
            rows.Where(r => (r[15] == "1") == hit).Average(r => double.Parse(r[column], System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(Mean(hit: true, 0) > Mean(hit: false, 0) + 0.05, "hits are more danceable");
        Assert.True(Mean(hit: true, 3) > Mean(hit: false, 3) + 1, "hits are louder");
        Assert.True(Mean(hit: true, 6) < Mean(hit: false, 6), "hits are less acoustic");
        Assert.True(Mean(hit: true, 7) < Mean(hit: false, 7) / 3, "hits are rarely instrumental");
    }
}
