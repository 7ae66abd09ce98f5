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
        private readonly InlineWrites _content = new(NewPartial(path + ".partial"));

        /// <summary>
        /// A new file, not a truncated one: .NET's FileMode.Create truncates (ftruncate to 0), and ext4 then writes the
        /// whole file back to disk when it is closed (its auto_da_alloc rule for files rewritten in place), inside our time.
        /// </summary>
        private static FileStream NewPartial(string partial)
        {
            File.Delete(partial); // a leftover of an interrupted run
            return new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        }

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

    /// <summary>
    /// A file written in place by WriteAsync too. The cleaner writes its outputs 64 KiB at a time with WriteAsync (they
    /// may be uploads); on Unix an asynchronous FileStream write is a thread-pool hop each time, a context switch per
    /// 64 KiB on one core, while writing into the page cache takes microseconds. Unbuffered: the writes are large.
    /// </summary>
    private sealed class InlineWrites(FileStream file) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => file.CanWrite;

        public override long Length => file.Length;

        public override long Position
        {
            get => file.Position;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => file.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => file.Write(buffer);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            file.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush() => file.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => file.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                file.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await file.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
