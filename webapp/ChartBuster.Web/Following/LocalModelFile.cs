using System.Security.Cryptography;
using System.Text.Json;
using ChartBuster.Model;
using ChartBuster.Model.Registry;

namespace ChartBuster.Web.Following;

/// <summary>
/// One local model.zip (CHARTBUSTER_MODEL_PATH), with the model card and metrics beside it when they describe it;
/// a new model is found when the file (or its card) changes.
/// </summary>
public sealed partial class LocalModelFile(string path, ILogger<LocalModelFile> logger) : IModelSource
{
    public Task<SourceLook> LookAsync(string? handled, CancellationToken cancellationToken)
    {
        var zipFile = new FileInfo(path);
        if (!zipFile.Exists)
        {
            return Task.FromResult<SourceLook>(new SourceLook.NoModelYet());
        }

        var directory = zipFile.DirectoryName!;
        var cardFile = new FileInfo(Path.Combine(directory, ModelFiles.Card));
        var stamp = $"{zipFile.LastWriteTimeUtc.Ticks}-{zipFile.Length}-{(cardFile.Exists ? cardFile.LastWriteTimeUtc.Ticks : 0)}";
        if (stamp == handled)
        {
            return Task.FromResult<SourceLook>(new SourceLook.Unchanged());
        }

        var bytes = File.ReadAllBytes(path);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var card = Read(cardFile.FullName, ModelJsonContext.Default.ModelCard);
        var metrics = Read(Path.Combine(directory, ModelFiles.Metrics), ModelJsonContext.Default.ModelMetrics);
        if (card is not null && !Describes(card, sha, cardFile, zipFile))
        {
            LogStaleCard(path, card.ModelVersion);
            (card, metrics) = (null, null);
        }

        return Task.FromResult<SourceLook>(new SourceLook.Found(stamp, bytes, card?.ModelVersion ?? $"local-{sha[..12]}", path, card, metrics));
    }

    public Task<IReadOnlyList<ModelCard>?> HistoryAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ModelCard>?>(null);

    /// <summary>
    /// Whether a card beside a model.zip is that model's: by the SHA-256 it records, or (cards written before it did)
    /// by being written no earlier than the model, as training writes model.zip first and the card last.
    /// </summary>
    private static bool Describes(ModelCard card, string sha, FileInfo cardFile, FileInfo zipFile) =>
        card.ModelSha256 is { } expected ? expected == sha : cardFile.LastWriteTimeUtc >= zipFile.LastWriteTimeUtc;

    /// <summary>A card or metrics file that cannot be parsed leaves the model servable, only less described.</summary>
    private T? Read<T>(string file, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return File.Exists(file) ? JsonSerializer.Deserialize(File.ReadAllBytes(file), type) : null;
        }
        catch (JsonException e)
        {
            LogUnreadableDocument(e, file);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "a model document {Path} cannot be read; serving without it")]
    private partial void LogUnreadableDocument(Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the model card beside {Path} ({CardVersion}) describes another model.zip; not using it")]
    private partial void LogStaleCard(string path, string cardVersion);
}
