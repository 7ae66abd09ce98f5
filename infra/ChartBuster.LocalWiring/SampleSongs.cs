using System.Globalization;

namespace ChartBuster.LocalWiring;

/// <summary>
/// The demo dataset: GENERATED songs, not real ones, in the Spotify Hit Predictor schema (with a decade column).
/// Deterministic for a seed. Values stay in each feature's real range and hits differ from non-hits the way they
/// do in the public dataset (more danceable, louder, less acoustic, rarely instrumental, shorter in later decades),
/// through one latent "appeal" per song, so a model has something real to learn. A few rows carry the problems real
/// files have (a blank value, a duplicate, a name with a comma and quotes) so the reject path shows too.
/// </summary>
public static class SampleSongs
{
    public const string Header = "track,artist,uri,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,duration_ms,time_signature,chorus_hit,sections,target,decade";

    private static readonly string[] Words = ["Midnight", "Summer", "Heart", "Fire", "River", "Golden", "Love", "City", "Dream", "Echo", "Wild", "Neon", "Blue", "Dancing", "Lonely", "Electric", "Sugar", "Thunder", "Paper", "Silver"];
    private static readonly string[] Names = ["The Comets", "Ada Marsh", "Velvet Static", "Leo Hart", "Nova Lane", "The Drifters Club", "Mia Torres", "Kid Atlas", "Ruby & The Tides", "Otis Grey"];
    private static readonly int[] Decades = [1960, 1970, 1980, 1990, 2000, 2010];

    public static void Write(TextWriter output, int rows, int seed)
    {
        ArgumentNullException.ThrowIfNull(output);
        var random = new Random(seed);
        output.WriteLine(Header);
        string? previous = null;
        for (var i = 0; i < rows; i++)
        {
            var line = i % 397 == 200 && previous is not null ? previous : Song(random, i);
            output.WriteLine(line);
            previous = line;
        }
    }

    private static string Song(Random random, int index)
    {
        var decade = Decades[random.Next(Decades.Length)];
        var era = (decade - 1960) / 50.0;
        var hit = random.NextDouble() < 0.5;
        var appeal = Normal(random) + (hit ? 0.9 : -0.9);
        var instrumental = !hit && random.NextDouble() < 0.25;
        var durationMs = Clamp(Normal(random, 230_000 - (hit ? 10_000 * era : -25_000), 55_000), 60_000, 900_000);
        var tempo = random.NextDouble() < 0.004 ? 0 : Clamp(Normal(random, 120, 28), 50, 220);
        var sections = Math.Max(1, (int)Math.Round(durationMs / 1000 / Clamp(Normal(random, 24, 5), 10, 60)));
        var values = new[]
        {
            Fixed(Clamp(0.55 + 0.09 * appeal + 0.12 * Normal(random), 0.05, 0.99)), // danceability
            Fixed(Clamp(0.58 + 0.07 * appeal + 0.08 * era + 0.15 * Normal(random), 0.01, 1)), // energy
            (random.NextDouble() < 0.01 ? -1 : random.Next(12)).ToString(CultureInfo.InvariantCulture),
            Fixed(Clamp(-10.5 + 1.4 * appeal + 4 * era + 2.5 * Normal(random), -45, -0.5), 3), // loudness, louder in later decades
            (random.NextDouble() < (hit ? 0.72 : 0.62) ? 1 : 0).ToString(CultureInfo.InvariantCulture),
            Fixed(Clamp(Math.Exp(Normal(random, -2.9 + 0.5 * era, 0.7)), 0.022, 0.95)), // speechiness, right-skewed
            Fixed(Clamp(Math.Exp(Normal(random, -1.2 - 0.35 * appeal - 0.8 * era, 1.1)), 0.000_01, 0.996), 6), // acousticness
            Fixed(instrumental ? Clamp(0.5 + 0.4 * random.NextDouble(), 0, 1) : Clamp(Math.Exp(Normal(random, -8, 2.5)), 0, 0.3), 6),
            Fixed(Clamp(Math.Exp(Normal(random, -1.7, 0.6)), 0.015, 0.99)), // liveness, right-skewed
            Fixed(Clamp(0.52 + 0.08 * appeal - 0.08 * era + 0.2 * Normal(random), 0.02, 0.99)), // valence
            Fixed(tempo, 3),
            ((int)durationMs).ToString(CultureInfo.InvariantCulture),
            TimeSignature(random).ToString(CultureInfo.InvariantCulture),
            Fixed(Clamp(Normal(random, 38, 14), 0, durationMs / 1000 - 1), 5),
            sections.ToString(CultureInfo.InvariantCulture),
            hit ? "1" : "0",
            decade.ToString(CultureInfo.InvariantCulture),
        };
        if (index % 211 == 100)
        {
            values[10] = ""; // a blank tempo: missing, rejected with its line
        }

        var title = $"{Words[random.Next(Words.Length)]} {Words[random.Next(Words.Length)]}";
        if (index % 97 == 5)
        {
            title = $"{title}, \"Live\" (Remastered)";
        }

        return $"{Quote(title)},{Quote(Names[random.Next(Names.Length)])},spotify:track:{Uri(random)},{string.Join(',', values)}";
    }

    private static int TimeSignature(Random random) => random.NextDouble() switch
    {
        < 0.86 => 4,
        < 0.95 => 3,
        < 0.98 => 5,
        < 0.995 => 1,
        _ => 0,
    };

    private static string Uri(Random random)
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        var chars = new char[22];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[random.Next(alphabet.Length)];
        }

        return new string(chars);
    }

    private static string Quote(string text) =>
        text.AsSpan().IndexOfAny(",\"\n") >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;

    private static double Normal(Random random, double mean = 0, double deviation = 1) =>
        mean + deviation * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double Clamp(double value, double min, double max) => Math.Clamp(value, min, max);

    private static string Fixed(double value, int digits = 4) =>
        Math.Round(value, digits).ToString("0." + new string('#', digits), CultureInfo.InvariantCulture);

    public static string Describe(int rows, int seed) =>
        string.Create(CultureInfo.InvariantCulture, $"generated sample: {rows:N0} songs (seed {seed}); GENERATED, not real songs");
}
