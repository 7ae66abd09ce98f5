using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace ChartBuster.Songs.Tests;

/// <summary>Files that are not what their name says, or not whole: refused with the real problem, nothing marked ready.</summary>
public class RefusedFileTests
{
    private static async Task<(CleaningReport Report, MemoryDatasetStore Store)> Prepare(byte[] bytes, string name)
    {
        var store = new MemoryDatasetStore();
        var report = await new DatasetPreparer(new CleaningOptions()).PrepareAsync(
            _ => Task.FromResult<Stream>(new MemoryStream(bytes)), name, "test-dataset", store, CancellationToken.None);
        return (report, store);
    }

    private static string ManySongs(int count) => SongCsv.File([.. Enumerable.Range(1, count).Select(i => SongCsv.Row(("uri", SongCsv.UniqueUri(i))))]);

    private static byte[] Gzip(byte[] bytes)
    {
        var packed = new MemoryStream();
        using (var zip = new GZipStream(packed, CompressionLevel.Optimal))
        {
            zip.Write(bytes);
        }

        return packed.ToArray();
    }

    private static void AssertRefused(CleaningReport report, MemoryDatasetStore store, string expected)
    {
        Assert.False(report.IsReady);
        Assert.Contains(expected, report.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(DatasetFileNames.Ready, store.Files.Keys);
        Assert.Contains(DatasetFileNames.Report, store.Files.Keys);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.99)]
    public async Task A_truncated_csv_gz_is_refused_as_truncated(double kept)
    {
        var whole = Gzip(Encoding.UTF8.GetBytes(ManySongs(3000)));

        var (report, store) = await Prepare(whole[..(int)(whole.Length * kept)], "dataset-of-00s.csv.gz");

        AssertRefused(report, store, "truncated");
    }

    [Fact]
    public async Task A_whole_csv_gz_still_prepares()
    {
        var (report, _) = await Prepare(Gzip(Encoding.UTF8.GetBytes(ManySongs(3000))), "dataset-of-00s.csv.gz");

        Assert.True(report.IsReady, report.Error);
        Assert.Equal(3000, report.RowsKept);
    }

    [Fact]
    public async Task A_gzip_file_named_csv_is_refused_as_compressed()
    {
        var (report, store) = await Prepare(Gzip(Encoding.UTF8.GetBytes(ManySongs(10))), "dataset-of-00s.csv");

        AssertRefused(report, store, "gzip-compressed");
        Assert.Contains(".csv.gz", report.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("utf-16LE-bom")]
    [InlineData("utf-16BE-bom")]
    [InlineData("utf-16LE")]
    public async Task A_utf16_file_is_refused_naming_the_encoding(string encoding)
    {
        var text = ManySongs(10);
        var bytes = encoding switch
        {
            "utf-16LE-bom" => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)],
            "utf-16BE-bom" => [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(text)],
            _ => Encoding.Unicode.GetBytes(text),
        };

        var (report, store) = await Prepare(bytes, "dataset-of-00s.csv");

        AssertRefused(report, store, "UTF-16");
    }

    [Fact]
    public async Task A_semicolon_separated_file_is_refused_as_such()
    {
        var (report, store) = await Prepare(Encoding.UTF8.GetBytes(ManySongs(10).Replace(',', ';')), "dataset-of-00s.csv");

        AssertRefused(report, store, "semicolons");
    }

    [Fact]
    public async Task A_header_of_500_000_unnamed_columns_gives_a_small_report()
    {
        var csv = SongCsv.Header + new string(',', 500_000) + "\n";

        var (report, store) = await Prepare(Encoding.UTF8.GetBytes(csv), "dataset-of-00s.csv");

        Assert.True(store.Files[DatasetFileNames.Report].Length < 16 << 10, $"report.json is {store.Files[DatasetFileNames.Report].Length} bytes");
        Assert.Equal(500_000, JsonDocument.Parse(store.Files[DatasetFileNames.Report]).RootElement.GetProperty("extraColumnCount").GetInt32());
    }
}
