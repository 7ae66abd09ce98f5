using System.Text;
using ChartBuster.Songs.Csv;

namespace ChartBuster.Songs.Tests;

/// <summary>
/// The fast cleaning path (each row's fate settled in the first pass, a bounded hashed index, the writing pass
/// neither validating nor looking up again) writes exactly what a plain reference writes: every row validated in
/// both passes, repeats found with a dictionary of (uri, decade), the same output writer.
/// </summary>
public class PlainReferenceCleaningTests
{
    [Fact]
    public async Task The_real_pool_cleans_to_the_same_files_and_counts_as_the_plain_reference()
    {
        var pooled = DuplicateIndexTests.PooledRealData();

        var expected = PlainReference.Clean(pooled, "real-pooled.csv");
        var (report, store) = await DuplicateIndexTests.Prepare(pooled, new CleaningOptions(), () => { });

        Assert.True(report.IsReady, report.Error);
        Assert.True(expected.Duplicates > 0, "the real pool has repeated songs");
        AssertSame(expected, report, store);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Repeats_conflicts_and_invalid_rows_clean_as_in_the_plain_reference_with_any_index_bound(bool tinyIndex)
    {
        var csv = DuplicateIndexTests.ManySongs(5_000);

        var expected = PlainReference.Clean(csv, "songs.csv");
        var (report, store) = await DuplicateIndexTests.Prepare(csv, tinyIndex ? DuplicateIndexTests.TinyIndex : new CleaningOptions(), () => { });

        Assert.True(expected is { Duplicates: > 0, Conflicting: > 0, Invalid: > 0 });
        AssertSame(expected, report, store);
    }

    [Fact]
    public async Task A_file_refused_after_several_index_passes_writes_no_ready_csv()
    {
        var rows = DuplicateIndexTests.ManySongs(3_000).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        for (var i = 0; i < 2_000; i++)
        {
            rows.Add(SongCsv.Row(("uri", SongCsv.UniqueUri(100_000 + i)), ("energy", "7")));
        }

        var passes = 0;
        var (report, store) = await DuplicateIndexTests.Prepare(string.Join('\n', rows) + "\n", DuplicateIndexTests.TinyIndex, () => passes++);

        Assert.True(passes > 3, $"{passes} passes");
        Assert.False(report.IsReady);
        Assert.True(report.AddsUp);
        Assert.Equal(["cleaned.csv", "rejects.csv", "report.json"], store.CommitOrder);
    }

    private static void AssertSame(PlainReference.Result expected, CleaningReport report, MemoryDatasetStore store)
    {
        Assert.Equal(
            (expected.Read, expected.Kept, expected.Invalid, expected.Duplicates, expected.Conflicting),
            (report.RowsRead, report.RowsKept, report.RowsRejected, report.DuplicatesRemoved, report.ConflictingTargetRowsRemoved));
        Assert.Equal(expected.Cleaned, store.Text("cleaned.csv"));
        Assert.Equal(expected.Rejects, store.Text("rejects.csv"));
        Assert.Equal(expected.Ready, store.Text("ready.csv"));
    }

    /// <summary>Cleaning as it was before the fast path, written for clarity rather than speed.</summary>
    private static class PlainReference
    {
        public sealed record Result(long Read, long Kept, long Invalid, long Duplicates, long Conflicting, string Cleaned, string Rejects, string Ready);

        public static Result Clean(string csv, string sourceName)
        {
            var bytes = Encoding.UTF8.GetBytes(csv);
            var header = SongHeader.Read(Open(bytes), requireTarget: true);
            var rows = new SongRowReader(header, Decades.FromFileName(sourceName));
            var targets = new Dictionary<(string Uri, int Decade), HashSet<double>>();
            ForEachValid(bytes, rows, (uri, song) =>
            {
                var key = (uri, (int)song[SongColumn.Decade]);
                targets.TryAdd(key, []);
                targets[key].Add(song[SongColumn.Target]);
            });

            var (cleaned, rejects, ready) = (new MemoryStream(), new MemoryStream(), new MemoryStream());
            long read = 0, kept = 0, invalid = 0, duplicates = 0, conflicting = 0;
            var seen = new HashSet<(string, int)>();
            using (var output = new CleanedOutput(header, cleaned, rejects, ready))
            {
                var reader = Open(bytes);
                var song = default(SongNumbers);
                for (; reader.Read(); read++)
                {
                    if (!rows.TryRead(reader, ref song, out var rejection))
                    {
                        output.WriteReject(reader, rejection);
                        invalid++;
                        continue;
                    }

                    var key = (Encoding.UTF8.GetString(rows.Uri(reader)), (int)song[SongColumn.Decade]);
                    if (targets[key].Count > 1)
                    {
                        output.WriteReject(reader, new Rejection(SongColumn.Target, RejectReason.ConflictingTarget));
                        conflicting++;
                    }
                    else if (!seen.Add(key))
                    {
                        output.WriteReject(reader, new Rejection(SongColumn.Uri, RejectReason.Duplicate));
                        duplicates++;
                    }
                    else
                    {
                        output.WriteKept(reader, song);
                        kept++;
                    }
                }
            }

            return new Result(read, kept, invalid, duplicates, conflicting, Text(cleaned), Text(rejects), Text(ready));
        }

        private static void ForEachValid(byte[] bytes, SongRowReader rows, Action<string, SongNumbers> valid)
        {
            var reader = Open(bytes);
            var song = default(SongNumbers);
            while (reader.Read())
            {
                if (rows.TryRead(reader, ref song, out _))
                {
                    valid(Encoding.UTF8.GetString(rows.Uri(reader)), song);
                }
            }
        }

        /// <summary>A reader positioned after the header line.</summary>
        private static CsvRecordReader Open(byte[] bytes)
        {
            var reader = new CsvRecordReader(new MemoryStream(bytes));
            reader.Read();
            return reader;
        }

        private static string Text(MemoryStream stream) => Encoding.UTF8.GetString(stream.ToArray());
    }
}
