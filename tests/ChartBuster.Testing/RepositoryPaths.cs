namespace ChartBuster.Testing;

/// <summary>Where the repository and the real dataset are, seen from a test binary.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The six real decade files; throws (never skips) when ../shared is not beside the repository.</summary>
    public static string[] DecadeFiles()
    {
        var data = Path.GetFullPath(Path.Combine(Root, "..", "shared", "data", "hit-predictor"));
        var files = Directory.Exists(data) ? Directory.GetFiles(data, "dataset-of-*.csv").Order().ToArray() : [];
        return files.Length == 6
            ? files
            : throw new InvalidOperationException($"The real dataset is missing: expected six decade files in {data}.");
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ChartBuster.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (ChartBuster.sln).");
    }
}
