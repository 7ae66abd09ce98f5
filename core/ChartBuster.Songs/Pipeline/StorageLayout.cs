namespace ChartBuster.Songs.Pipeline;

/// <summary>
/// Where every object lives (DESIGN.md, storage layout), written once:
/// <list type="bullet">
/// <item>raw bucket: uploads under any key (<see cref="DatasetFileNames.IsSongFile"/> says which are read).</item>
/// <item>ready bucket: <c>datasets/{datasetId}/</c> with the <see cref="DatasetFileNames"/> (cleaned, rejects, report,
/// ready), and <c>journeys/</c> (records and the index; <see cref="Journeys.JourneyKeys"/> builds those keys).</item>
/// <item>artifacts bucket: <c>models/{version}/</c> (model.zip, metrics.json, model-card.json), the pointer
/// <c>models/current.json</c>, and the <c>trained/{datasetId}.json</c> markers.</item>
/// </list>
/// </summary>
public static class StorageLayout
{
    /// <summary>Ready bucket: the prepared datasets.</summary>
    public const string DatasetsRoot = "datasets/";

    /// <summary>Ready bucket: the journey records and their index.</summary>
    public const string JourneysRoot = "journeys/";

    /// <summary>Artifacts bucket: every model version, and the pointer.</summary>
    public const string ModelsRoot = "models/";

    /// <summary>Artifacts bucket: the serving model's pointer, written last by a promotion, followed by the web app.</summary>
    public const string ModelPointer = ModelsRoot + "current.json";

    /// <summary>Artifacts bucket: one marker per dataset trained, so a repeated message trains nothing.</summary>
    public const string TrainedRoot = "trained/";

    /// <summary>models/{version}/: one version's files.</summary>
    public static string ModelVersionPrefix(string version) => $"{ModelsRoot}{version}/";

    /// <summary>trained/{datasetId}.json.</summary>
    public static string TrainedMarker(string datasetId) => $"{TrainedRoot}{datasetId}.json";
}
