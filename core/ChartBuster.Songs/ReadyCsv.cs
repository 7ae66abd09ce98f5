namespace ChartBuster.Songs;

/// <summary>The layout of ready.csv, the model-ready file the trainer reads.</summary>
public static class ReadyCsv
{
    /// <summary>The song's identity (for grouped splits), decade, the raw features, the engineered ones, target.</summary>
    public static IReadOnlyList<string> Columns(bool withTarget) =>
    [
        "uri", "decade",
        .. SongFeatures.RawColumns.Select(SongSchema.NameOf),
        .. SongFeatures.EngineeredNames,
        .. withTarget ? new[] { "target" } : [],
    ];
}
