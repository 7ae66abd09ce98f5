using System.Text;
using System.Text.Json;

namespace ChartBuster.Songs.Tests;

/// <summary>
/// Cleaning reads a file once when no copy of a song disagrees with an earlier one on target and its songs fit in one
/// partition of the index, writing every output as it reads; otherwise it abandons what that pass wrote and writes again
/// from the complete index. Either way the outputs are the same bytes (<see cref="CommittedOutputTests"/>), every count is
/// in report.json before ready.csv is committed, and a refused file's ready.csv is abandoned, never committed.
/// </summary>
public class OnePassCleaningTests
{
    [Fact]
    public async Task A_file_without_conflicting_copies_is_read_once_and_nothing_is_abandoned()
    {
        var (report, store, passes) = await Prepare(CommittedOutputTests.GeneratedSongs(5_000, conflicts: false));

        Assert.Equal(1, passes);
        Assert.True(report is { IsReady: true, AddsUp: true, DuplicatesRemoved: > 0, RowsRejected: > 0 });
        Assert.Equal(["cleaned.csv", "rejects.csv", "report.json", "ready.csv"], store.CommitOrder);
        Assert.Empty(store.Abandoned);
    }

    [Fact]
    public async Task Every_count_is_in_report_json_before_ready_csv_is_committed()
    {
        var (report, store, _) = await Prepare(CommittedOutputTests.GeneratedSongs(5_000, conflicts: false), readyCommitted: written =>
        {
            var committed = JsonSerializer.Deserialize(written.Files["report.json"], SongJsonContext.Default.CleaningReport)!;
            Assert.True(committed is { IsReady: true, AddsUp: true, DuplicatesRemoved: > 0, RowsRejected: > 0 });
            Assert.Contains("ready.csv", committed.Outputs);
        });

        Assert.Equal("ready.csv", store.CommitOrder[^1]);
        Assert.True(report.AddsUp);
    }

    [Fact]
    public async Task A_conflicting_copy_of_a_song_already_written_abandons_the_first_outputs_and_drops_every_copy()
    {
        var first = SongCsv.Row(("uri", SongCsv.UniqueUri(1)), ("target", "1"));
        var csv = SongCsv.File(first, SongCsv.Row(("uri", SongCsv.UniqueUri(2))), SongCsv.Row(("uri", SongCsv.UniqueUri(1)), ("target", "0")));

        var (report, store, passes) = await Prepare(csv);

        Assert.Equal(2, passes);
        Assert.Equal(["cleaned.csv", "ready.csv", "rejects.csv"], store.Abandoned.Order());
        Assert.Equal(["cleaned.csv", "rejects.csv", "report.json", "ready.csv"], store.CommitOrder);
        Assert.Equal((1, 2), (report.RowsKept, report.ConflictingTargetRowsRemoved));
        Assert.Equal(
            [$"2,target,1,conflicting_target,{SongCsv.UniqueUri(1)},Lucky Man", $"4,target,0,conflicting_target,{SongCsv.UniqueUri(1)},Lucky Man"],
            store.Lines("rejects.csv").Skip(1));
        Assert.DoesNotContain(SongCsv.UniqueUri(1), store.Text("ready.csv"));
    }

    [Fact]
    public async Task A_file_refused_after_one_pass_abandons_its_ready_csv()
    {
        var rows = Enumerable.Range(0, 10).Select(i => SongCsv.Row(("uri", SongCsv.UniqueUri(i)), ("energy", i < 3 ? "9" : "0.5"))).ToArray();

        var (report, store, passes) = await Prepare(SongCsv.File(rows));

        Assert.Equal(1, passes);
        Assert.False(report.IsReady);
        Assert.Equal(["cleaned.csv", "rejects.csv", "report.json"], store.CommitOrder);
        Assert.Equal(["ready.csv"], store.Abandoned);
        Assert.Equal(4, store.Lines("rejects.csv").Length);
    }

    [Fact]
    public async Task A_file_whose_size_says_its_songs_overflow_one_partition_writes_only_after_indexing()
    {
        var csv = CommittedOutputTests.GeneratedSongs(5_000, conflicts: false);

        var (report, store, passes) = await Prepare(csv, DuplicateIndexTests.TinyIndex, sizeHint: Encoding.UTF8.GetByteCount(csv));

        Assert.True(passes > 2, $"{passes} passes");
        Assert.Empty(store.Abandoned);
        Assert.True(report is { IsReady: true, AddsUp: true });
    }

    [Fact]
    public async Task A_file_without_a_size_that_overflows_one_partition_stops_writing_and_writes_again()
    {
        var csv = CommittedOutputTests.GeneratedSongs(5_000, conflicts: false);

        var (report, store, passes) = await Prepare(csv, DuplicateIndexTests.TinyIndex);

        Assert.True(passes > 2, $"{passes} passes");
        Assert.Equal(["cleaned.csv", "ready.csv", "rejects.csv"], store.Abandoned.Order());
        Assert.True(report is { IsReady: true, AddsUp: true });
    }

    [Fact]
    public async Task A_file_refused_for_its_header_commits_only_its_report()
    {
        var (report, store, passes) = await Prepare("track,artist\nx,y\n");

        Assert.Equal(1, passes);
        Assert.False(report.IsReady);
        Assert.Equal(["report.json"], store.CommitOrder);
    }

    private static async Task<(CleaningReport Report, ObservedStore Store, int Passes)> Prepare(
        string csv, CleaningOptions? options = null, long? sizeHint = null, Action<MemoryDatasetStore>? readyCommitted = null)
    {
        var bytes = Encoding.UTF8.GetBytes(csv);
        var store = new ObservedStore(readyCommitted);
        var passes = 0;
        var report = await new DatasetPreparer(options ?? new CleaningOptions()).PrepareAsync(
            _ =>
            {
                passes++;
                return Task.FromResult<Stream>(new MemoryStream(bytes));
            },
            "songs.csv", "test-dataset", store, CancellationToken.None, sizeHint);
        return (report, store, passes);
    }

    /// <summary>A memory store that can look at what is committed at the moment ready.csv is.</summary>
    private sealed class ObservedStore(Action<MemoryDatasetStore>? readyCommitted) : IDatasetStore
    {
        private readonly MemoryDatasetStore _inner = new();

        public List<string> CommitOrder => _inner.CommitOrder;

        public List<string> Abandoned => _inner.Abandoned;

        public string Text(string name) => _inner.Text(name);

        public string[] Lines(string name) => _inner.Lines(name);

        public PendingFile Create(string fileName)
        {
            var file = _inner.Create(fileName);
            return fileName == DatasetFileNames.Ready && readyCommitted is not null ? new Observed(file, () => readyCommitted(_inner)) : file;
        }

        private sealed class Observed(PendingFile inner, Action beforeCommit) : PendingFile
        {
            public override Stream Content => inner.Content;

            protected override async Task CommitCoreAsync(CancellationToken cancellationToken)
            {
                beforeCommit();
                await inner.CommitAsync(cancellationToken);
            }

            protected override async Task AbortCoreAsync() => await inner.DisposeAsync();
        }
    }
}
