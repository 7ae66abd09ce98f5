namespace ChartBuster.Songs;

/// <summary>
/// Row-wise engineered features. Training (through ready.csv) and serving (the web app) both call
/// <see cref="Compute"/>, so the two can never drift apart.
/// </summary>
public static class SongFeatures
{
    /// <summary>The audio columns the model reads as they are, in ready.csv order.</summary>
    public static readonly IReadOnlyList<SongColumn> RawColumns =
    [
        SongColumn.Danceability, SongColumn.Energy, SongColumn.Key, SongColumn.Loudness, SongColumn.Mode,
        SongColumn.Speechiness, SongColumn.Acousticness, SongColumn.Instrumentalness, SongColumn.Liveness,
        SongColumn.Valence, SongColumn.Tempo, SongColumn.DurationMs, SongColumn.TimeSignature,
        SongColumn.ChorusHit, SongColumn.Sections,
    ];

    /// <summary>
    /// Names of the engineered features, in the order <see cref="Compute"/> writes them. Why each exists:
    /// <list type="bullet">
    /// <item><c>duration_min</c>: duration on a human scale (radio edits sit around 3-4 minutes).</item>
    /// <item><c>log_duration_min</c>: durations run from 15 s to over an hour; the log tames that right tail.</item>
    /// <item><c>log_speechiness</c>, <c>log_liveness</c>, <c>log_acousticness</c>, <c>log_instrumentalness</c>:
    /// these are piled up near 0 with long tails; a log with a small offset spreads the region where most
    /// songs are (tree models are indifferent to monotone transforms; linear models and calibration are not).</item>
    /// <item><c>is_instrumental</c>: Spotify's own reading, instrumentalness above 0.5 means no vocals.</item>
    /// <item><c>beat_detected</c>: tempo 0 or time signature 0 is Spotify's code for "no beat found", a
    /// signal of its own that should not be read as a very slow tempo.</item>
    /// <item><c>chorus_position</c>: where the chorus starts as a share of the song (early hooks).</item>
    /// <item><c>sections_per_minute</c>: structural pace, independent of length.</item>
    /// <item><c>dance_energy</c>, <c>happy_energy</c>: danceability × energy and valence × energy, the
    /// "club" and "upbeat" interactions that hits concentrate in.</item>
    /// </list>
    /// </summary>
    public static readonly IReadOnlyList<string> EngineeredNames =
    [
        "duration_min", "log_duration_min", "log_speechiness", "log_liveness", "log_acousticness",
        "log_instrumentalness", "is_instrumental", "beat_detected", "chorus_position", "sections_per_minute",
        "dance_energy", "happy_energy",
    ];

    public static int EngineeredCount => EngineeredNames.Count;

    /// <summary>The columns <see cref="Compute"/> reads (a writer that needs only the features parses only these).</summary>
    public static readonly IReadOnlyList<SongColumn> Inputs =
    [
        SongColumn.Danceability, SongColumn.Energy, SongColumn.Speechiness, SongColumn.Acousticness, SongColumn.Instrumentalness,
        SongColumn.Liveness, SongColumn.Valence, SongColumn.Tempo, SongColumn.DurationMs, SongColumn.TimeSignature,
        SongColumn.ChorusHit, SongColumn.Sections,
    ];

    /// <summary>Writes the engineered features of a validated song into <paramref name="destination"/>.</summary>
    public static void Compute(in SongNumbers song, Span<double> destination)
    {
        if (destination.Length < EngineeredNames.Count)
        {
            throw new ArgumentException($"Needs room for {EngineeredNames.Count} features.", nameof(destination));
        }

        var minutes = song[SongColumn.DurationMs] / 60_000;
        var seconds = song[SongColumn.DurationMs] / 1_000;
        var energy = song[SongColumn.Energy];
        destination[0] = minutes;
        destination[1] = Math.Log(minutes);
        destination[2] = Math.Log(song[SongColumn.Speechiness] + 0.01);
        destination[3] = Math.Log(song[SongColumn.Liveness] + 0.01);
        destination[4] = Math.Log(song[SongColumn.Acousticness] + 0.001);
        destination[5] = Math.Log(song[SongColumn.Instrumentalness] + 0.0001);
        destination[6] = song[SongColumn.Instrumentalness] > 0.5 ? 1 : 0;
        destination[7] = song[SongColumn.Tempo] > 0 && song[SongColumn.TimeSignature] > 0 ? 1 : 0;
        destination[8] = song[SongColumn.ChorusHit] / seconds;
        destination[9] = song[SongColumn.Sections] / minutes;
        destination[10] = song[SongColumn.Danceability] * energy;
        destination[11] = song[SongColumn.Valence] * energy;
    }
}
