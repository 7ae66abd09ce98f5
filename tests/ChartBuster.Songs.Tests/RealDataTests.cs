namespace ChartBuster.Songs.Tests;

/// <summary>The real decade files of ../shared/data/hit-predictor (fails loudly when they are missing).</summary>
public class RealDataTests
{
    [Fact]
    public async Task Every_real_decade_file_is_ready_and_its_counts_add_up()
    {
        var files = SharedData.DecadeFiles();

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

internal static class SharedData
{
    /// <summary>The six decade files; throws (never skips) when ../shared is not beside the repository.</summary>
    public static string[] DecadeFiles()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ChartBuster.sln")))
        {
            directory = directory.Parent;
        }

        var data = Path.GetFullPath(Path.Combine(directory?.FullName ?? ".", "..", "shared", "data", "hit-predictor"));
        var files = Directory.Exists(data) ? Directory.GetFiles(data, "dataset-of-*.csv").Order().ToArray() : [];
        if (files.Length != 6)
        {
            throw new InvalidOperationException($"The real dataset is missing: expected six decade files in {data}.");
        }

        return files;
    }
}
