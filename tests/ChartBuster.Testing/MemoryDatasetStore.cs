using System.Text;

using ChartBuster.Songs;

namespace ChartBuster.Testing;

/// <summary>Keeps committed files in memory and records the order in which they became visible.</summary>
public sealed class MemoryDatasetStore : IDatasetStore
{
    public Dictionary<string, byte[]> Files { get; } = [];

    public List<string> CommitOrder { get; } = [];

    public List<string> Abandoned { get; } = [];

    public string Text(string name) => Encoding.UTF8.GetString(Files[name]);

    public string[] Lines(string name) => Text(name).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public PendingFile Create(string fileName) => new Pending(this, fileName);

    private sealed class Pending(MemoryDatasetStore store, string name) : PendingFile
    {
        private readonly MemoryStream _content = new();

        public override Stream Content => _content;

        protected override Task CommitCoreAsync(CancellationToken cancellationToken)
        {
            store.Files[name] = _content.ToArray();
            store.CommitOrder.Add(name);
            return Task.CompletedTask;
        }

        protected override Task AbortCoreAsync()
        {
            store.Abandoned.Add(name);
            return Task.CompletedTask;
        }
    }
}
