using System.Buffers;
using System.Text;
using System.Text.Json;
using ChartBuster.Songs;

namespace ChartBuster.Web.Api;

/// <summary>
/// The fast path for large arrays: a body that is an array of plain songs, read with one <see cref="Utf8JsonReader"/>
/// pass straight into the evaluator's columnar input (<see cref="SongNumbers"/>), no document, no dictionary, no
/// string per field. "Plain" means every song is an object with each audio feature as a JSON number under its
/// contract name (any case), an optional numeric decade, other fields ignored, and every value within the cleaning
/// rules. Anything else (a note name, an m:ss length, a null, a missing or repeated field, a value out of range,
/// malformed JSON, more songs than allowed) makes <see cref="TryRead"/> return null, and the request is read by the
/// reference reader (<see cref="SongJson"/>), which names each problem by index and field. So the fast path never
/// answers differently; it only answers sooner.
/// </summary>
public sealed class PlainSongArray : IDisposable
{
    private static readonly byte[][] s_names = [.. SongFeatures.RawColumns.Select(c => Encoding.ASCII.GetBytes(SongSchema.NameOf(c)))];
    private static readonly NumericRule[] s_rules = [.. SongFeatures.RawColumns.Select(NumericRule.For)];
    private static readonly SongColumn[] s_columns = [.. SongFeatures.RawColumns];
    private static readonly int s_allFields = (1 << s_columns.Length) - 1;
    private static readonly int s_chorus = Array.IndexOf(s_columns, SongColumn.ChorusHit);
    private static readonly int s_duration = Array.IndexOf(s_columns, SongColumn.DurationMs);

    private const int Decade = -2;
    /// <summary>"duration" (a length as m:ss), or a name that only the reference reader can match.</summary>
    private const int NotPlain = -3;
    private const int Other = -1;

    /// <summary>Longer than any feature's name ("instrumentalness"): another field.</summary>
    private const int MaxNameBytes = 16;

    private SongNumbers[] _songs;

    private PlainSongArray(SongNumbers[] songs, int count) => (_songs, Count) = (songs, count);

    public int Count { get; }

    public ReadOnlyMemory<SongNumbers> Songs => _songs.AsMemory(0, Count);

    /// <summary>The songs of <paramref name="json"/> when it is an array of 1 to <paramref name="maxSongs"/> plain songs; else null.</summary>
    public static PlainSongArray? TryRead(ReadOnlySpan<byte> json, int maxSongs)
    {
        var songs = ArrayPool<SongNumbers>.Shared.Rent(Math.Min(maxSongs, Math.Max(16, json.Length / 200)));
        var count = 0;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return Refuse(songs);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                if (count == maxSongs)
                {
                    return Refuse(songs);
                }

                if (count == songs.Length)
                {
                    songs = Grow(songs, maxSongs);
                }

                if (!TryReadSong(ref reader, out songs[count]))
                {
                    return Refuse(songs);
                }

                count++;
            }

            // The array must end here, hold a song, and be all there is (Read past the end throws on trailing text).
            return reader.TokenType == JsonTokenType.EndArray && count > 0 && !reader.Read()
                ? new PlainSongArray(songs, count)
                : Refuse(songs);
        }
        catch (JsonException)
        {
            return Refuse(songs);
        }
    }

    public void Dispose()
    {
        if (_songs.Length > 0)
        {
            ArrayPool<SongNumbers>.Shared.Return(_songs);
            _songs = [];
        }
    }

    /// <summary>One song object, the reader on its start; false for anything the reference reader should judge.</summary>
    private static bool TryReadSong(ref Utf8JsonReader reader, out SongNumbers song)
    {
        song = default;
        Span<double> values = stackalloc double[s_columns.Length];
        var seen = 0;
        int? decade = null;
        var decadeSeen = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueIsEscaped || reader.HasValueSequence)
            {
                return false;
            }

            var field = FieldOf(reader.ValueSpan);
            reader.Read();
            switch (field)
            {
                case NotPlain:
                    return false;
                case Decade:
                    if (decadeSeen || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var year))
                    {
                        return false;
                    }

                    (decade, decadeSeen) = (year, true);
                    break;
                case Other:
                    reader.Skip();
                    break;
                default:
                    if ((seen & (1 << field)) != 0 || reader.TokenType != JsonTokenType.Number
                        || !reader.TryGetDouble(out var value) || !double.IsFinite(value) || s_rules[field].Check(value) is not null)
                    {
                        return false;
                    }

                    values[field] = value;
                    seen |= 1 << field;
                    break;
            }
        }

        if (seen != s_allFields || values[s_chorus] > values[s_duration] / 1000 || (decade is { } d && !Decades.IsValid(d)))
        {
            return false;
        }

        for (var i = 0; i < s_columns.Length; i++)
        {
            song[s_columns[i]] = values[i];
        }

        song[SongColumn.Decade] = decade ?? Decades.Unknown;
        song[SongColumn.Target] = double.NaN;
        return true;
    }

    /// <summary>The raw feature a property names (ASCII, any case), or what else it is. A name with other characters
    /// (which .NET's case-insensitive comparison could still match to a feature) goes to the reference reader.</summary>
    private static int FieldOf(ReadOnlySpan<byte> name)
    {
        if (name.ContainsAnyInRange((byte)0x80, (byte)0xFF))
        {
            return NotPlain;
        }

        if (name.Length > MaxNameBytes)
        {
            return Other;
        }

        Span<byte> lower = stackalloc byte[name.Length];
        for (var i = 0; i < name.Length; i++)
        {
            lower[i] = name[i] is >= (byte)'A' and <= (byte)'Z' ? (byte)(name[i] | 0x20) : name[i];
        }

        for (var i = 0; i < s_names.Length; i++)
        {
            if (lower.SequenceEqual(s_names[i]))
            {
                return i;
            }
        }

        return lower.SequenceEqual("decade"u8) ? Decade : lower.SequenceEqual("duration"u8) ? NotPlain : Other;
    }

    private static SongNumbers[] Grow(SongNumbers[] songs, int maxSongs)
    {
        var larger = ArrayPool<SongNumbers>.Shared.Rent(Math.Min(maxSongs, songs.Length * 2));
        songs.AsSpan().CopyTo(larger);
        ArrayPool<SongNumbers>.Shared.Return(songs);
        return larger;
    }

    private static PlainSongArray? Refuse(SongNumbers[] songs)
    {
        ArrayPool<SongNumbers>.Shared.Return(songs);
        return null;
    }
}
