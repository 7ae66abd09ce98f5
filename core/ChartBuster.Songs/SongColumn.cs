namespace ChartBuster.Songs;

/// <summary>The columns of the Spotify Hit Predictor schema, in canonical order.</summary>
public enum SongColumn
{
    Track,
    Artist,
    Uri,
    Danceability,
    Energy,
    Key,
    Loudness,
    Mode,
    Speechiness,
    Acousticness,
    Instrumentalness,
    Liveness,
    Valence,
    Tempo,
    DurationMs,
    TimeSignature,
    ChorusHit,
    Sections,
    Target,
    Decade,
}
