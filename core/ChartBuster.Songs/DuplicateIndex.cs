using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace ChartBuster.Songs;

/// <summary>
/// Remembers every (uri, decade) seen and the targets it came with, in 128-bit hashes so memory grows
/// with distinct songs (about 40 bytes each) and never with row text. A collision needs ~2^64 songs.
/// </summary>
internal sealed class DuplicateIndex
{
    private const byte SawZero = 1;
    private const byte SawOne = 2;

    private readonly Dictionary<UInt128, Entry> _entries = [];

    public int DistinctSongs => _entries.Count;

    /// <summary>First pass: counts one valid row.</summary>
    public void Observe(ReadOnlySpan<byte> uri, int decade, double target)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, Key(uri, decade), out _);
        entry.Count++;
        entry.Targets |= target switch
        {
            0 => SawZero,
            1 => SawOne,
            _ => 0,
        };
    }

    /// <summary>Second pass: what becomes of a valid row, given everything the first pass saw.</summary>
    public RowFate Decide(ReadOnlySpan<byte> uri, int decade)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(_entries, Key(uri, decade));
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref entry))
        {
            throw new InvalidOperationException("The input changed between the two passes.");
        }

        if (entry.Targets == (SawZero | SawOne))
        {
            return RowFate.ConflictingTarget;
        }

        if (entry.Emitted)
        {
            return RowFate.Duplicate;
        }

        entry.Emitted = true;
        return RowFate.Keep;
    }

    /// <summary>Rows that will be dropped as repeats, and rows whose copies disagree on target.</summary>
    public (long Duplicates, long Conflicting) Totals()
    {
        long duplicates = 0, conflicting = 0;
        foreach (var entry in _entries.Values)
        {
            if (entry.Targets == (SawZero | SawOne))
            {
                conflicting += entry.Count;
            }
            else
            {
                duplicates += entry.Count - 1;
            }
        }

        return (duplicates, conflicting);
    }

    private static UInt128 Key(ReadOnlySpan<byte> uri, int decade) => XxHash128.HashToUInt128(uri, decade);

    private struct Entry
    {
        public int Count;
        public byte Targets;
        public bool Emitted;
    }
}

internal enum RowFate
{
    Keep,
    Duplicate,
    ConflictingTarget,
}
