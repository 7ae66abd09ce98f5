using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace ChartBuster.Songs;

/// <summary>
/// Finds repeated songs, keyed on (uri, decade) as 128-bit hashes, so memory grows with distinct songs
/// (about 40 bytes each) and never with row text; a false match needs ~2^64 songs. The first pass
/// records, in one bit per row, whether a row is the first of its song; after it only the (few) songs
/// whose copies disagree on target are kept, so the second pass needs no lookups in the large table.
/// </summary>
internal sealed class DuplicateIndex
{
    private const byte SawZero = 1;
    private const byte SawOne = 2;

    private Dictionary<UInt128, Entry> _entries;
    private readonly HashSet<UInt128> _conflicting = [];
    private ulong[] _firstOfSong = new ulong[1024];

    public DuplicateIndex(int expectedSongs = 0) => _entries = new Dictionary<UInt128, Entry>(expectedSongs);

    public long Duplicates { get; private set; }

    public long ConflictingRows { get; private set; }

    /// <summary>First pass: counts one valid row, the <paramref name="row"/>-th data row of the file.</summary>
    public void Observe(long row, ReadOnlySpan<byte> uri, int decade, double target)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, Key(uri, decade), out var exists);
        entry.Count++;
        entry.Targets |= target switch
        {
            0 => SawZero,
            1 => SawOne,
            _ => 0,
        };
        if (!exists)
        {
            MarkFirst(row);
        }
    }

    /// <summary>Ends the first pass: totals the repeats and keeps only the songs with conflicting targets.</summary>
    public void Complete()
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.Targets == (SawZero | SawOne))
            {
                ConflictingRows += entry.Count;
                _conflicting.Add(key);
            }
            else
            {
                Duplicates += entry.Count - 1;
            }
        }

        _entries = [];
    }

    /// <summary>Second pass: what becomes of a valid row, given everything the first pass saw.</summary>
    public RowFate Decide(long row, ReadOnlySpan<byte> uri, int decade)
    {
        if (_conflicting.Count > 0 && _conflicting.Contains(Key(uri, decade)))
        {
            return RowFate.ConflictingTarget;
        }

        var word = row >> 6;
        return word < _firstOfSong.Length && (_firstOfSong[word] & (1UL << (int)(row & 63))) != 0
            ? RowFate.Keep
            : RowFate.Duplicate;
    }

    private void MarkFirst(long row)
    {
        var word = row >> 6;
        if (word >= _firstOfSong.Length)
        {
            Array.Resize(ref _firstOfSong, (int)Math.Max(word + 1, _firstOfSong.Length * 2L));
        }

        _firstOfSong[word] |= 1UL << (int)(row & 63);
    }

    private static UInt128 Key(ReadOnlySpan<byte> uri, int decade) => XxHash128.HashToUInt128(uri, decade);

    private struct Entry
    {
        public int Count;
        public byte Targets;
    }
}

internal enum RowFate
{
    Keep,
    Duplicate,
    ConflictingTarget,
}
