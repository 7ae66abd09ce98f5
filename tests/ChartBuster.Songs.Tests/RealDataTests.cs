namespace ChartBuster.Songs.Tests;

/// <summary>The real decade files of ../shared/data/hit-predictor (fails loudly when they are missing).</summary>
public class RealDataTests
{
    [Fact]
    public async Task Every_real_decade_file_is_ready_and_its_counts_add_up()
    {
        var files = RepositoryPaths.DecadeFiles();

        foreach (var path in files)
        {
            var store = new MemoryDatasetStore();
            var report = await new DatasetPreparer(new CleaningOptions()).PrepareAsync(
                _ => Task.FromResult<Stream>(File.OpenRead(path)), path, "real", store, CancellationToken.None);

            Assert.True(report.IsReady, $"{path}: {report.Error}");
            Assert.True(report.AddsUp, path);
            Assert.Equal(0, report.RowsRejected);
            Assert.Equal(File.ReadAllText(path).Count(c => c == '\n') - CountNewlinesInQuotes(path), report.RowsRead + 1);
            Assert.Equal(report.RowsKept + 1, store.Lines("ready.csv").Length);
            Assert.Equal(report.RowsRead - report.RowsKept + 1, store.Lines("rejects.csv").Length);
            Assert.Equal("file name", report.DecadeSource);
        }
    }

    private static int CountNewlinesInQuotes(string path)
    {
        var inQuotes = false;
        var count = 0;
        foreach (var c in File.ReadAllText(path))
        {
            if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (c == '\n' && inQuotes)
            {
                count++;
            }
        }

        return count;
    }
}
