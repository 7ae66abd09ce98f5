using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.ML;

namespace ChartBuster.Model.Registry;

/// <summary>The three files of a model version: model.zip, metrics.json, model-card.json.</summary>
public static class ModelFiles
{
    public const string Model = "model.zip";
    public const string Metrics = "metrics.json";
    public const string Card = "model-card.json";

    /// <summary>Sortable and unique: UTC time of training, then a short hash of the dataset.</summary>
    public static string NewVersion(string datasetId, DateTimeOffset trainedAt) =>
        $"{trainedAt.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(datasetId)), 0, 4)}";

    public static string CodeVersion { get; } =
        typeof(ModelFiles).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static ModelCard CardFor(TrainedModel model, string version, string datasetId, DateTimeOffset trainedAt, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new ModelCard
        {
            ModelVersion = version,
            DatasetId = datasetId,
            TrainedAt = trainedAt,
            Rows = model.Rows,
            NumericFeatures = SongModelInput.NumericNames,
            CategoricalFeatures = SongModelInput.CategoricalNames,
            Trainer = model.Candidate.Trainer,
            Candidate = model.Candidate.Name,
            Parameters = model.Candidate.Parameters,
            Candidates = model.Candidates,
            TimingsSeconds = model.TimingsSeconds,
            CodeVersion = CodeVersion,
            Seed = seed,
            FeatureRanges = model.FeatureRanges,
            ValidationAuc = model.Metrics.Validation.Auc,
            CanAndCannotTell = model.Scope,
        };
    }

    public static byte[] ModelBytes(TrainedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return ModelBytes(model.Transformer, model.InputSchema, reference: null);
    }

    /// <summary>model.zip with the training reference inside (what the site needs to rank, explain and search songs).</summary>
    public static byte[] ModelBytes(TrainedModel model, Reference.ModelReference reference)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(reference);
        return ModelBytes(model.Transformer, model.InputSchema, reference);
    }

    /// <summary>A fitted pipeline's model.zip, with the training reference inside when there is one.</summary>
    public static byte[] ModelBytes(ITransformer transformer, DataViewSchema inputSchema, Reference.ModelReference? reference)
    {
        using var buffer = new MemoryStream();
        new MLContext().Model.Save(transformer, inputSchema, buffer);
        return reference is null ? buffer.ToArray() : reference.AddTo(buffer.ToArray());
    }

    /// <summary>The card's <see cref="ModelCard.ModelSha256"/> of a model.zip's bytes.</summary>
    public static string Sha256(byte[] modelZip) => Convert.ToHexStringLower(SHA256.HashData(modelZip));

    public static byte[] MetricsBytes(ModelMetrics metrics) => JsonSerializer.SerializeToUtf8Bytes(metrics, ModelJsonContext.Default.ModelMetrics);

    public static byte[] CardBytes(ModelCard card) => JsonSerializer.SerializeToUtf8Bytes(card, ModelJsonContext.Default.ModelCard);
}
