namespace ChartBuster.Songs;

/// <summary>The layout of ready.csv, the model-ready file the trainer reads.</summary>
public static class ReadyCsv
{
    /// <summary>
    /// The song's identity (uri and artist for grouped splits: evaluation keeps each artist's songs on one side, so that
    /// quality is measured on artists the model has not seen; artist and track also for the searchable index of songs
    /// shipped with the model; none of the three is ever a model input), decade, the raw features, the engineered ones, target.
    /// </summary>
    public static IReadOnlyList<string> Columns(bool withTarget) =>
    [
        "uri", "artist", "track", "decade",
        .. SongFeatures.RawColumns.Select(SongSchema.NameOf),
        .. SongFeatures.EngineeredNames,
        .. withTarget ? new[] { "target" } : [],
    ];
}
