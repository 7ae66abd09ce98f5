using System.Text;

namespace ChartBuster.Songs.Tests;

/// <summary>The duplicate index stays within its bound: a file with more songs than it holds is indexed in partitions.</summary>
public class DuplicateIndexTests
{
    /// <summary>The smallest bound there is: 1,024 slots, about 700 songs at a time.</summary>
    internal static readonly CleaningOptions TinyIndex = new() { MaxDuplicateIndexBytes = 8192 };

    [Fact]
    public async Task A_file_with_more_songs_than_the_index_holds_cleans_to_the_same_bytes_in_more_passes()
    {
        var csv = ManySongs(6_000);
        var passes = 0;

        var (bounded, boundedStore) = await Prepare(csv, TinyIndex, () => passes++);
        var (unbounded, unboundedStore) = await Prepare(csv, new CleaningOptions(), () => { });

        Assert.True(passes > 3, $"{passes} passes");
        Assert.True(bounded.AddsUp);
        Assert.Equal(
            (unbounded.RowsKept, unbounded.RowsRejected, unbounded.DuplicatesRemoved, unbounded.ConflictingTargetRowsRemoved),
            (bounded.RowsKept, bounded.RowsRejected, bounded.DuplicatesRemoved, bounded.ConflictingTargetRowsRemoved));
        Assert.Equal(unbounded.RejectedByReason, bounded.RejectedByReason);
        Assert.True(bounded.DuplicatesRemoved > 0 && bounded.ConflictingTargetRowsRemoved > 0 && bounded.RowsRejected > 0);
        foreach (var name in (string[])["cleaned.csv", "rejects.csv", "ready.csv"])
        {
            Assert.Equal(unboundedStore.Text(name), boundedStore.Text(name));
        }
    }

    [Fact]
    public async Task The_real_pool_cleans_to_the_same_bytes_with_a_tiny_index()
    {
        var pooled = PooledRealData();

        var (bounded, boundedStore) = await Prepare(pooled, TinyIndex, () => { });
        var (unbounded, unboundedStore) = await Prepare(pooled, new CleaningOptions(), () => { });

        Assert.Equal(32_862, unbounded.RowsKept);
        Assert.Equal((unbounded.RowsKept, unbounded.DuplicatesRemoved, unbounded.ConflictingTargetRowsRemoved),
            (bounded.RowsKept, bounded.DuplicatesRemoved, bounded.ConflictingTargetRowsRemoved));
        Assert.Equal(unboundedStore.Text("ready.csv"), boundedStore.Text("ready.csv"));
        Assert.Equal(unboundedStore.Text("rejects.csv"), boundedStore.Text("rejects.csv"));
    }

    [Fact]
    public async Task Refuses_to_go_on_when_the_input_changes_between_passes()
    {
        var first = ManySongs(2_000);
        var second = first.Replace("0.471", "0.472", StringComparison.Ordinal) + SongCsv.Row(("uri", SongCsv.UniqueUri(999_999))) + "\n";
        var opened = 0;
        var preparer = new DatasetPreparer(TinyIndex);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => preparer.PrepareAsync(
            _ => Task.FromResult<Stream>(SongCsv.Stream(opened++ == 0 ? first : second)), "changing.csv", "id", new MemoryDatasetStore(), CancellationToken.None));

        Assert.Contains("changed between passes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_bound_below_eight_kilobytes() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SongCleaner(new CleaningOptions { MaxDuplicateIndexBytes = 100 }));

    /// <summary>Distinct songs, every 7th repeated, every 97th repeated with the other target, every 50th invalid.</summary>
    internal static string ManySongs(int songs)
    {
        var rows = new List<string>();
        for (var i = 0; i < songs; i++)
        {
            var target = i % 2 == 0 ? "1" : "0";
            rows.Add(i % 50 == 0
                ? SongCsv.Row(("uri", SongCsv.UniqueUri(i)), ("energy", "1.5"))
                : SongCsv.Row(("uri", SongCsv.UniqueUri(i)), ("target", target)));
            if (i % 7 == 0)
            {
                rows.Add(SongCsv.Row(("uri", SongCsv.UniqueUri(i)), ("target", target)));
            }

            if (i % 97 == 0)
            {
                rows.Add(SongCsv.Row(("uri", SongCsv.UniqueUri(i)), ("target", target == "1" ? "0" : "1")));
            }
        }

        return SongCsv.File([.. rows]);
    }

    internal static string PooledRealData()
    {
        var text = new StringBuilder();
        foreach (var path in RepositoryPaths.DecadeFiles())
        {
            var lines = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
            var decade = Decades.FromFileName(path);
            if (text.Length == 0)
            {
                text.Append(lines[0].TrimStart('\uFEFF')).Append(",decade\n");
            }

            foreach (var line in lines.Skip(1))
            {
                text.Append(line).Append(',').Append(decade).Append('\n');
            }
        }

        return text.ToString();
    }

    internal static async Task<(CleaningReport Report, MemoryDatasetStore Store)> Prepare(string csv, CleaningOptions options, Action opened)
    {
        var bytes = Encoding.UTF8.GetBytes(csv);
        var store = new MemoryDatasetStore();
        var report = await new DatasetPreparer(options).PrepareAsync(
            _ =>
            {
                opened();
                return Task.FromResult<Stream>(new MemoryStream(bytes));
            },
            "songs.csv", "test-dataset", store, CancellationToken.None);
        return (report, store);
    }
}
