namespace ChartBuster.Model.Serving;

/// <summary>How much one input moved this song's probability, against a typical song's value for it.</summary>
public sealed record Contribution(string Feature, double Effect);

/// <summary>
/// Per-prediction explanation by substitution: each input in turn is set to the typical radio song's value
/// (<see cref="ServingModel.SmokeSong"/>) and the change in probability is that input's effect. Simple,
/// model-agnostic, and honest about what it is (not exact Shapley values).
/// </summary>
public static class Explanation
{
    public static IReadOnlyList<Contribution> Explain(ServingModel model, SongModelInput input)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        var reference = ServingModel.SmokeSong();
        var actual = model.Predict(input);
        var contributions = new List<Contribution>();
        foreach (var group in Groups())
        {
            var probe = input.Clone();
            group.Apply(probe, reference);
            contributions.Add(new Contribution(group.Name, Math.Round(actual - model.Predict(probe), 6)));
        }

        return [.. contributions.OrderByDescending(c => Math.Abs(c.Effect))];
    }

    /// <summary>The raw features with the engineered ones derived from them, so an input is judged as a whole.</summary>
    private static IEnumerable<(string Name, Action<SongModelInput, SongModelInput> Apply)> Groups()
    {
        var names = SongModelInput.NumericNames.ToList();
        (string Raw, string[] Derived)[] numeric =
        [
            ("danceability", ["dance_energy"]), ("energy", ["dance_energy", "happy_energy"]), ("loudness", []),
            ("speechiness", ["log_speechiness"]), ("acousticness", ["log_acousticness"]),
            ("instrumentalness", ["log_instrumentalness", "is_instrumental"]), ("liveness", ["log_liveness"]),
            ("valence", ["happy_energy"]), ("tempo", ["beat_detected"]),
            ("duration_ms", ["duration_min", "log_duration_min", "chorus_position", "sections_per_minute"]),
            ("chorus_hit", ["chorus_position"]), ("sections", ["sections_per_minute"]),
        ];
        foreach (var (raw, derived) in numeric)
        {
            var slots = derived.Prepend(raw).Select(n => names.IndexOf(n)).ToArray();
            yield return (raw, (target, source) =>
            {
                foreach (var slot in slots)
                {
                    target.Numeric[slot] = source.Numeric[slot];
                }
            });
        }

        yield return ("key", (t, s) => (t.Key, t.Numeric[names.IndexOf("key")]) = (s.Key, s.Numeric[names.IndexOf("key")]));
        yield return ("mode", (t, s) => (t.Mode, t.Numeric[names.IndexOf("mode")]) = (s.Mode, s.Numeric[names.IndexOf("mode")]));
        yield return ("time_signature", (t, s) =>
            (t.TimeSignature, t.Numeric[names.IndexOf("time_signature")], t.Numeric[names.IndexOf("beat_detected")]) =
            (s.TimeSignature, s.Numeric[names.IndexOf("time_signature")], s.Numeric[names.IndexOf("beat_detected")]));
        yield return ("decade", (t, s) => t.Decade = s.Decade);
    }
}
