using ChartBuster.Songs;

namespace ChartBuster.Testing;

/// <summary>The real decade files, cleaned by the production code into ready.csv bytes.</summary>
public static class RealData
{
    public static byte[] ReadyCsv(string decadeFile)
    {
        var store = new MemoryDatasetStore();
        var report = new DatasetPreparer(new CleaningOptions())
            .PrepareAsync(_ => Task.FromResult<Stream>(File.OpenRead(decadeFile)), decadeFile, "real", store, CancellationToken.None)
            .GetAwaiter().GetResult();
        return report.IsReady ? store.Files[DatasetFileNames.Ready] : throw new InvalidOperationException($"{decadeFile}: {report.Error}");
    }
}
