namespace ChartBuster.Songs;

/// <summary>Where a prepared dataset's files go: a local folder (command line) or S3 (the Lambda).</summary>
public interface IDatasetStore
{
    /// <summary>Starts writing one file. Nothing is visible under its final name before <see cref="PendingFile.CommitAsync"/>.</summary>
    PendingFile Create(string fileName);
}

/// <summary>A file being written. Disposing it without a commit abandons it and leaves no trace.</summary>
public abstract class PendingFile : IAsyncDisposable
{
    private bool _finished;

    public abstract Stream Content { get; }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await CommitCoreAsync(cancellationToken);
        _finished = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            _finished = true;
            await AbortCoreAsync();
        }

        await Content.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected abstract Task CommitCoreAsync(CancellationToken cancellationToken);

    protected abstract Task AbortCoreAsync();
}

/// <summary>The names of a prepared dataset's files (DESIGN.md, storage layout).</summary>
public static class DatasetFileNames
{
    public const string Cleaned = "cleaned.csv";
    public const string Rejects = "rejects.csv";
    public const string Report = "report.json";
    public const string Ready = "ready.csv";

    /// <summary>Whether a raw object is a song file this pipeline reads.</summary>
    public static bool IsSongFile(string key) =>
        key.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || key.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase);

    public static bool IsGzip(string key) => key.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
}
