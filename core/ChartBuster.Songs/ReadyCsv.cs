namespace ChartBuster.Songs;

/// <summary>The layout of ready.csv, the model-ready file the trainer reads.</summary>
public static class ReadyCsv
{
    /// <summary>
    /// The song's identity (uri for grouped splits; artist and track so the trained model can ship a searchable
    /// index of its songs; none of the three is ever a model input), decade, the raw features, the engineered ones, target.
    /// </summary>
    public static IReadOnlyList<string> Columns(bool withTarget) =>
    [
        "uri", "artist", "track", "decade",
        .. SongFeatures.RawColumns.Select(SongSchema.NameOf),
        .. SongFeatures.EngineeredNames,
        .. withTarget ? new[] { "target" } : [],
    ];
}
