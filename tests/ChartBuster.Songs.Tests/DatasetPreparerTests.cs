using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace ChartBuster.Songs.Tests;

public class DatasetPreparerTests
{
    private static async Task<(CleaningReport Report, MemoryDatasetStore Store)> Prepare(
        string csv, string name = "dataset-of-00s.csv", CleaningOptions? options = null, bool gzip = false)
    {
        var bytes = Encoding.UTF8.GetBytes(csv);
        if (gzip)
        {
            var packed = new MemoryStream();
            using (var zip = new GZipStream(packed, CompressionLevel.Fastest))
            {
                zip.Write(bytes);
            }

            bytes = packed.ToArray();
        }

        var store = new MemoryDatasetStore();
        var report = await new DatasetPreparer(options ?? new CleaningOptions()).PrepareAsync(
            _ => Task.FromResult<Stream>(new MemoryStream(bytes)), name, "test-dataset", store, CancellationToken.None);
        return (report, store);
    }

    [Fact]
    public async Task Writes_the_four_outputs_with_ready_csv_last()
    {
        var (report, store) = await Prepare(SongCsv.File(SongCsv.Row()));

        Assert.True(report.IsReady);
        Assert.Equal(["cleaned.csv", "rejects.csv", "report.json", "ready.csv"], store.CommitOrder);
    }

    [Fact]
    public async Task Counts_add_up_and_every_rejected_row_is_in_rejects_csv_with_line_and_reason()
    {
        var csv = SongCsv.File(
            SongCsv.Row(("uri", SongCsv.UniqueUri(1))),
            SongCsv.Row(("uri", SongCsv.UniqueUri(2)), ("energy", "1.5")),
            SongCsv.Row(("uri", SongCsv.UniqueUri(3)), ("tempo", "")),
            SongCsv.Row(("uri", SongCsv.UniqueUri(1))),
            "",
            SongCsv.Row(("uri", SongCsv.UniqueUri(4))));

        var (report, store) = await Prepare(csv, options: new CleaningOptions { MaxRejectedShare = 0.5 });

        Assert.True(report.AddsUp);
        Assert.Equal((6, 2, 2, 1, 1), (report.RowsRead + 1, report.RowsKept, report.RowsRejected, report.DuplicatesRemoved, report.BlankLinesSkipped));
        Assert.Equal(new Dictionary<string, long> { ["duplicate"] = 1, ["missing_value"] = 1, ["out_of_range"] = 1 }, report.RejectedByReason);
        Assert.Equal(
            ["line,column,value,reason,uri,track",
             $"3,energy,1.5,out_of_range,{SongCsv.UniqueUri(2)},Lucky Man",
             $"4,tempo,,missing_value,{SongCsv.UniqueUri(3)},Lucky Man",
             $"5,uri,{SongCsv.UniqueUri(1)},duplicate,{SongCsv.UniqueUri(1)},Lucky Man"],
            store.Lines("rejects.csv"));
        Assert.Equal(3, store.Lines("cleaned.csv").Length);
        Assert.Equal(3, store.Lines("ready.csv").Length);
    }

    [Fact]
    public async Task Drops_every_copy_of_a_song_whose_copies_disagree_on_target()
    {
        var csv = SongCsv.File(
            SongCsv.Row(("uri", SongCsv.UniqueUri(1)), ("target", "1")),
            SongCsv.Row(("uri", SongCsv.UniqueUri(1)), ("target", "0")),
            SongCsv.Row(("uri", SongCsv.UniqueUri(2))));

        var (report, store) = await Prepare(csv);

        Assert.Equal(2, report.ConflictingTargetRowsRemoved);
        Assert.Equal(1, report.RowsKept);
        Assert.DoesNotContain(SongCsv.UniqueUri(1), store.Text("cleaned.csv"));
        Assert.Equal(2, store.Lines("rejects.csv").Count(l => l.Contains("conflicting_target", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Keeps_the_same_song_in_two_decades()
    {
        var csv = $"{SongCsv.Header},decade\n{SongCsv.Row()},1990\n{SongCsv.Row()},2000\n";

        var (report, _) = await Prepare(csv);

        Assert.Equal(2, report.RowsKept);
        Assert.Equal(0, report.DuplicatesRemoved);
    }

    [Fact]
    public async Task Refuses_a_file_missing_a_required_column_with_a_report_and_nothing_else()
    {
        var csv = SongCsv.File(SongCsv.Row()).Replace("energy,", "nrg,", StringComparison.Ordinal);

        var (report, store) = await Prepare(csv);

        Assert.False(report.IsReady);
        Assert.Contains("energy", report.Error, StringComparison.Ordinal);
        Assert.Equal(["report.json"], store.CommitOrder);
        var written = JsonSerializer.Deserialize(store.Files["report.json"], SongJsonContext.Default.CleaningReport)!;
        Assert.Equal(CleaningReport.Rejected, written.Status);
        Assert.Equal(["energy"], written.MissingColumns);
        Assert.Equal(["nrg"], written.ExtraColumns);
    }

    [Fact]
    public async Task Refuses_a_file_whose_rejected_share_is_over_the_limit_but_still_lists_the_rejects()
    {
        var rows = Enumerable.Range(0, 10)
            .Select(i => SongCsv.Row(("uri", SongCsv.UniqueUri(i)), ("energy", i < 3 ? "9" : "0.5")))
            .ToArray();

        var (report, store) = await Prepare(SongCsv.File(rows));

        Assert.False(report.IsReady);
        Assert.Equal(0.3, report.RejectedShare);
        Assert.Contains("30.0 %", report.Error, StringComparison.Ordinal);
        Assert.Equal(["cleaned.csv", "rejects.csv", "report.json"], store.CommitOrder);
        Assert.Equal(4, store.Lines("rejects.csv").Length);
    }

    [Fact]
    public async Task The_rejected_share_limit_is_configurable()
    {
        var rows = Enumerable.Range(0, 10)
            .Select(i => SongCsv.Row(("uri", SongCsv.UniqueUri(i)), ("energy", i < 3 ? "9" : "0.5")))
            .ToArray();

        var (report, _) = await Prepare(SongCsv.File(rows), options: new CleaningOptions { MaxRejectedShare = 0.3 });

        Assert.True(report.IsReady);
    }

    [Theory]
    [InlineData("")]
    [InlineData(SongCsv.Header + "\n")]
    public async Task Refuses_a_file_without_data_rows(string csv)
    {
        var (report, store) = await Prepare(csv);

        Assert.False(report.IsReady);
        Assert.False(store.Files.ContainsKey("ready.csv"));
    }

    [Fact]
    public async Task Reads_gzip_input()
    {
        var (report, store) = await Prepare(SongCsv.File(SongCsv.Row()), "dataset-of-10s.csv.gz", gzip: true);

        Assert.True(report.IsReady);
        Assert.Contains(",2010\n", store.Text("cleaned.csv"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_gz_file_that_is_not_gzip()
    {
        var (report, store) = await Prepare(SongCsv.File(SongCsv.Row()), "songs.csv.gz");

        Assert.False(report.IsReady);
        Assert.Contains("gzip", report.Error, StringComparison.Ordinal);
        Assert.Equal(["report.json"], store.CommitOrder);
    }

    [Fact]
    public async Task Refuses_a_file_whose_quote_never_closes()
    {
        var csv = SongCsv.File(SongCsv.Row()) + "\"" + new string('x', 2 << 20);

        var (report, _) = await Prepare(csv);

        Assert.False(report.IsReady);
        Assert.Contains("line 3", report.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Normalizes_columns_in_any_order_case_and_with_extras_to_the_canonical_layout()
    {
        var header = SongCsv.Header.Split(',');
        var shuffled = header.Reverse().ToArray();
        var row = SongCsv.Row().Split(',').Reverse();
        var csv = "\uFEFFPOPULARITY," + string.Join(',', shuffled.Select(h => h.ToUpperInvariant())) + "\r\n99," + string.Join(',', row) + "\r\n\r\n";

        var (report, store) = await Prepare(csv);

        Assert.True(report.IsReady);
        Assert.Equal(["POPULARITY"], report.ExtraColumns);
        Assert.Equal($"{SongCsv.Header},decade", store.Lines("cleaned.csv")[0]);
        Assert.Equal($"{SongCsv.Row()},2000", store.Lines("cleaned.csv")[1]);
    }

    [Fact]
    public async Task Ready_csv_holds_uri_artist_track_decade_raw_and_engineered_features_and_target()
    {
        var (_, store) = await Prepare(SongCsv.File(SongCsv.Row()));

        var header = store.Lines("ready.csv")[0].Split(',');
        var values = store.Lines("ready.csv")[1].Split(',');

        Assert.Equal(4 + SongFeatures.RawColumns.Count + SongFeatures.EngineeredCount + 1, header.Length);
        Assert.Equal(header.Length, values.Length);
        Assert.Equal(["uri", "artist", "track", "decade"], header[..4]);
        Assert.Equal("Montgomery Gentry", values[1]);
        Assert.Equal("Lucky Man", values[2]);
        Assert.Equal("2000", values[Array.IndexOf(header, "decade")]);
        Assert.Equal("3.27845", values[Array.IndexOf(header, "duration_min")]);
        Assert.Equal("1", values[^1]);
    }

    [Fact]
    public async Task Ready_csv_keeps_a_quoted_track_name_and_trims_a_padded_artist()
    {
        var (_, store) = await Prepare(SongCsv.File(SongCsv.Row(("track", "\"Me, Myself \"\"and\"\" I\""), ("artist", " G-Eazy "))));

        var ready = new ChartBuster.Songs.Csv.CsvRecordReader(new MemoryStream(store.Files[DatasetFileNames.Ready]));
        ready.Read();
        ready.Read();

        Assert.Equal("G-Eazy", System.Text.Encoding.UTF8.GetString(ready[1]));
        Assert.Equal("Me, Myself \"and\" I", System.Text.Encoding.UTF8.GetString(ready[2]));
    }
}
