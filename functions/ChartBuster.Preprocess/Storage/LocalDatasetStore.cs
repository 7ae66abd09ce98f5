using ChartBuster.Songs;

namespace ChartBuster.Preprocess.Storage;

/// <summary>
/// Writes a prepared dataset into a folder. Each file is written as NAME.partial and renamed on commit,
/// so like S3 a reader never sees half a file under its final name.
/// </summary>
public sealed class LocalDatasetStore : IDatasetStore
{
    private readonly string _directory;

    public LocalDatasetStore(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
    }

    public PendingFile Create(string fileName) => new PendingLocalFile(Path.Combine(_directory, fileName));

    /// <summary>Removes the outputs of an earlier run, so a refused file cannot leave an old ready.csv behind.</summary>
    public void Clear()
    {
        foreach (var name in (string[])[DatasetFileNames.Ready, DatasetFileNames.Report, DatasetFileNames.Cleaned, DatasetFileNames.Rejects])
        {
            File.Delete(Path.Combine(_directory, name));
        }
    }

    private sealed class PendingLocalFile(string path) : PendingFile
    {
        private readonly FileStream _content = new(path + ".partial", FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);

        public override Stream Content => _content;

        protected override async Task CommitCoreAsync(CancellationToken cancellationToken)
        {
            await _content.DisposeAsync();
            File.Move(path + ".partial", path, overwrite: true);
        }

        protected override async Task AbortCoreAsync()
        {
            await _content.DisposeAsync();
            File.Delete(path + ".partial");
        }
    }
}
