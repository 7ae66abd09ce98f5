using System.Text.RegularExpressions;

namespace ChartBuster.Model;

/// <summary>
/// The inputs a pipeline learns from: the slots of <see cref="SongModelInput.Numeric"/> and the categorical
/// columns it one-hot encodes. The model learns from audio features and decade only: see <see cref="Guard"/>.
/// </summary>
public sealed partial record ModelFeatures(IReadOnlyList<string> Numeric, IReadOnlyList<string> Categorical)
{
    /// <summary>Every audio input (raw and engineered) and the decade, and what the pipeline derives from them: what the product's models read.</summary>
    public static ModelFeatures AudioAndDecade { get; } = new(
        SongModelInput.NumericNames,
        [nameof(SongModelInput.Key), nameof(SongModelInput.Mode), nameof(SongModelInput.TimeSignature), nameof(SongModelInput.Decade)]);

    /// <summary>The features the pipeline derives inside the model (<see cref="DerivedFeatures"/>).</summary>
    public IReadOnlyList<string> Derived { get; init; } = [.. DerivedFeatures.DecadeRelativeNames, .. DerivedFeatures.InteractionNames];

    /// <summary>The words that mark a feature as derived from a song's identity.</summary>
    public static IReadOnlyList<string> IdentityWords { get; } = ["artist", "track", "uri", "title"];

    /// <summary>
    /// Refuses any feature derived from the song's identity (<c>artist</c>, <c>track</c>, <c>uri</c>, title) and any
    /// numeric slot the input vector does not have. In the public data a song's label is almost a property of its
    /// artist, so such a feature would score high on paper and learn nothing about songs (see <see cref="GroupingGap"/>
    /// for the check that catches what a name cannot show). A name matches when one of its words (split at
    /// underscores, punctuation and camelCase) is an identity word or its plural, or when it contains "artist".
    /// </summary>
    public void Guard()
    {
        foreach (var name in Numeric.Concat(Categorical).Concat(Derived))
        {
            if (IdentityWordIn(name) is { } word)
            {
                throw new ArgumentException(
                    $"feature '{name}' is derived from the song's identity ({word}); models learn from audio features and decade only, " +
                    "because in this dataset the label is almost a property of the artist.");
            }
        }

        if (Numeric.FirstOrDefault(n => !SongModelInput.NumericNames.Contains(n)) is { } unknown)
        {
            throw new ArgumentException($"feature '{unknown}' is not a slot of the model input ({string.Join(", ", SongModelInput.NumericNames)}).");
        }

        if (!Numeric.SequenceEqual(SongModelInput.NumericNames))
        {
            throw new ArgumentException("the numeric features must be every slot of the model input, in order (the pipeline reads the vector whole).");
        }
    }

    private static string? IdentityWordIn(string name)
    {
        var words = WordBreak().Replace(name, " ").ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return name.Contains("artist", StringComparison.OrdinalIgnoreCase)
            ? "artist"
            : IdentityWords.FirstOrDefault(identity => words.Any(w => w == identity || w == identity + "s"));
    }

    /// <summary>A break between words: anything but a letter or digit, or a lower-to-upper case change.</summary>
    [GeneratedRegex(@"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])", RegexOptions.CultureInvariant)]
    private static partial Regex WordBreak();
}
