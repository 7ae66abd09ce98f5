using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ChartBuster.Songs.Tests;

/// <summary>
/// Cleaning writes, byte for byte, what the two-pass cleaner of main 5bbac30 (before the one-pass path) wrote for the
/// same input: the SHA-256 of each output below was computed by that code and committed with this test. Covers the real
/// pool, generated songs with repeats, invalid rows and quoted or padded fields (no conflicts: the one-pass path), the
/// same with conflicting copies and with the smallest index bound (the passes that fall back), and a refused file.
/// </summary>
public class CommittedOutputTests
{
    [Fact]
    public async Task The_real_pool_writes_the_committed_bytes()
    {
        var digests = await Digests(DuplicateIndexTests.PooledRealData(), new CleaningOptions());

        Assert.Equal(
            "cleaned.csv 57ab6cf3, rejects.csv a2315f60, ready.csv 2bfa400a, report.json 7e76fb86",
            digests);
    }

    [Fact]
    public async Task Generated_songs_with_repeats_and_invalid_rows_write_the_committed_bytes()
    {
        var digests = await Digests(GeneratedSongs(20_000, conflicts: false), new CleaningOptions());

        Assert.Equal(
            "cleaned.csv b1577fad, rejects.csv 6ff48bda, ready.csv a46b9ab3, report.json f1825eae",
            digests);
    }

    [Fact]
    public async Task Generated_songs_with_conflicting_copies_write_the_committed_bytes()
    {
        var digests = await Digests(GeneratedSongs(20_000, conflicts: true), new CleaningOptions());

        Assert.Equal(
            "cleaned.csv 5f1da59f, rejects.csv ac92cb7c, ready.csv 3b1f9c4b, report.json 677b5ade",
            digests);
    }

    [Fact]
    public async Task Generated_songs_with_the_smallest_index_bound_write_the_committed_bytes()
    {
        var digests = await Digests(GeneratedSongs(20_000, conflicts: false), DuplicateIndexTests.TinyIndex);

        Assert.Equal(
            "cleaned.csv b1577fad, rejects.csv 6ff48bda, ready.csv a46b9ab3, report.json f1825eae",
            digests);
    }

    [Fact]
    public async Task A_refused_file_writes_the_committed_bytes_and_no_ready_csv()
    {
        var digests = await Digests(GeneratedSongs(5_000, conflicts: false), new CleaningOptions { MaxRejectedShare = 0.01 });

        Assert.Equal(
            "cleaned.csv 3375353e, rejects.csv 8aa17a50, report.json 3ec8ce43",
            digests);
    }

    /// <summary>The first eight hex digits of each output's SHA-256 (report.json with its elapsed time set to 0).</summary>
    private static async Task<string> Digests(string csv, CleaningOptions options)
    {
        var (report, store) = await DuplicateIndexTests.Prepare(csv, options, () => { });
        report.ElapsedMilliseconds = 0;
        store.Files["report.json"] = JsonSerializer.SerializeToUtf8Bytes(report, SongJsonContext.Default.CleaningReport);
        return string.Join(", ", ((string[])["cleaned.csv", "rejects.csv", "ready.csv", "report.json"])
            .Where(store.Files.ContainsKey)
            .Select(name => $"{name} {Convert.ToHexStringLower(SHA256.HashData(store.Files[name]))[..8]}"));
    }

    /// <summary>
    /// Songs with varied numbers (as generate.py makes them), a decade column, about 1 % exact repeats, 1 % repeats
    /// written differently (padded fields, quoted track), 2 % invalid rows of several kinds, quoted tracks with commas and
    /// doubled quotes, exponents, CRLF lines; with <paramref name="conflicts"/> about 0.5 % copies with the other target.
    /// </summary>
    internal static string GeneratedSongs(int rows, bool conflicts)
    {
        var random = new Lcg(7);
        var text = new StringBuilder(SongCsv.Header).Append(",decade\n");
        string? previous = null;
        for (var i = 0; i < rows; i++)
        {
            var roll = random.Next(1000);
            if (previous is not null && roll < 10)
            {
                text.Append(previous).Append('\n');
                continue;
            }

            var song = Song(random, i);
            if (conflicts && previous is not null && roll >= 10 && roll < 15)
            {
                var copy = previous.Split(',');
                copy[^2] = copy[^2] == "1" ? "0" : "1";
                text.Append(string.Join(',', copy)).Append('\n');
                continue;
            }

            var line = roll switch
            {
                < 20 => Join(song with { Energy = "1.7" }),
                < 25 => Join(song with { Tempo = "" }),
                < 28 => Join(song with { Decade = "1935" }),
                < 30 => Join(song) + ",extra",
                < 32 => Join(song with { Key = "4.5" }),
                < 40 => Join(song with { Track = "\"Hey, \"\"Jude\"\"\"" }),
                < 45 => Join(song with { Energy = " " + song.Energy + " ", Artist = " " + song.Artist }),
                < 50 => Join(song with { Instrumentalness = "1.2e-05" }),
                _ => Join(song),
            };
            text.Append(line).Append(roll is >= 50 and < 55 ? "\r\n" : "\n");
            previous = roll is >= 20 and < 32 ? previous : Join(song);
        }

        return text.ToString();
    }

    private static GeneratedSong Song(Lcg random, int i)
    {
        string Fraction(int digits) => (random.Next(1_000_000) / 1e6).ToString("0." + new string('#', digits), CultureInfo.InvariantCulture);
        var duration = 60_000 + random.Next(400_000);
        return new GeneratedSong(
            random.Next(20) == 0 ? "Track " + i : "Song " + (i % 977),
            "Artist " + (i % 313),
            SongCsv.UniqueUri(i),
            Fraction(3), Fraction(4), (random.Next(12) - (random.Next(30) == 0 ? 1 : 0)).ToString(CultureInfo.InvariantCulture),
            (-random.Next(30_000) / 1000.0).ToString(CultureInfo.InvariantCulture), random.Next(2).ToString(CultureInfo.InvariantCulture),
            Fraction(4), Fraction(5), random.Next(3) == 0 ? "0" : Fraction(6), Fraction(4), Fraction(3),
            random.Next(50) == 0 ? "0" : (random.Next(200_000) / 1000.0).ToString("0.000", CultureInfo.InvariantCulture),
            duration.ToString(CultureInfo.InvariantCulture), random.Next(6).ToString(CultureInfo.InvariantCulture),
            (random.Next(duration / 100) / 100.0).ToString(CultureInfo.InvariantCulture), (1 + random.Next(20)).ToString(CultureInfo.InvariantCulture),
            random.Next(2).ToString(CultureInfo.InvariantCulture),
            (1960 + (10 * random.Next(6))).ToString(CultureInfo.InvariantCulture));
    }

    private static string Join(GeneratedSong s) => string.Join(',',
        s.Track, s.Artist, s.Uri, s.Danceability, s.Energy, s.Key, s.Loudness, s.Mode, s.Speechiness, s.Acousticness,
        s.Instrumentalness, s.Liveness, s.Valence, s.Tempo, s.DurationMs, s.TimeSignature, s.ChorusHit, s.Sections, s.Target, s.Decade);

    private sealed record GeneratedSong(
        string Track, string Artist, string Uri, string Danceability, string Energy, string Key, string Loudness, string Mode,
        string Speechiness, string Acousticness, string Instrumentalness, string Liveness, string Valence, string Tempo,
        string DurationMs, string TimeSignature, string ChorusHit, string Sections, string Target, string Decade);

    /// <summary>A fixed pseudo-random sequence (the committed digests must not depend on the runtime's Random).</summary>
    private sealed class Lcg(ulong state)
    {
        public int Next(int bound)
        {
            state = (state * 6364136223846793005UL) + 1442695040888963407UL;
            return (int)((state >> 33) % (ulong)bound);
        }
    }
}
