using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace ChartBuster.Songs;

/// <summary>
/// Finds repeated songs, keyed on (uri, decade), in bounded memory. Each song is one 8-byte slot of an
/// open-addressing table (a 62-bit hash of the key and two bits for the targets seen), at most 70 % full:
/// about 11.4 bytes per song, never any row text. The table never grows past <see cref="MaxTableBytes"/>; a file
/// with more songs than fit is indexed in hash partitions, the first during the validating pass and each
/// further one in a light pass that only reads uri, decade and target of the rows already known valid.
/// What each row is (invalid, first of its song, or a repeat) is kept in <see cref="RowFates"/>, two bits a row,
/// so the writing pass needs no lookups in the large table; only the (few) songs whose copies disagree on
/// target are remembered after a partition ends. Two different songs share a hash with odds of about 2^-62
/// per pair (one in 10^5 for a file of ten million songs).
/// </summary>
internal sealed class DuplicateIndex
{
    /// <summary>64 MiB: 8.4 M slots, 5.9 M songs per partition.</summary>
    public const long DefaultMaxTableBytes = 64L << 20;

    private const ulong SawZero = 1;
    private const ulong SawOne = 2;
    private const ulong TargetBits = SawZero | SawOne;
    private const double MaxLoad = 0.7;
    private const int MinSlots = 1024;
    private const int QueueLength = 16;

    private readonly int _maxSlots;
    private readonly HashSet<ulong> _conflicting = [];
    private ulong[] _slots;
    private int _used;
    private int _partition;
    private readonly (long Row, ulong Key, ulong Seen)[] _queue = new (long, ulong, ulong)[QueueLength];
    private int _queued;

    /// <param name="expectedSongs">A guess from the file size: sizes the table up front so that it rarely grows.</param>
    /// <param name="maxTableBytes">The bound on the table (tests set it small to exercise partitions).</param>
    public DuplicateIndex(long expectedSongs = 0, long maxTableBytes = DefaultMaxTableBytes)
    {
        _maxSlots = (int)Math.Clamp(maxTableBytes / sizeof(ulong), MinSlots, Array.MaxLength);
        _slots = HugePages.ZeroedTable((int)Math.Clamp((long)(expectedSongs / MaxLoad), MinSlots, _maxSlots));
    }

    /// <summary>How many songs one partition holds under a bound (the table at most 70 % full).</summary>
    public static long SongsPerPartition(long maxTableBytes) =>
        (long)(Math.Clamp(maxTableBytes / sizeof(ulong), MinSlots, Array.MaxLength) * MaxLoad);

    public RowFates Fates { get; } = new();

    /// <summary>How many hash partitions the songs are split into (1 unless the file has more songs than the table holds).</summary>
    public int Partitions { get; private set; } = 1;

    /// <summary>The partitions indexed so far; the index is complete when this equals <see cref="Partitions"/>.</summary>
    public int PartitionsDone { get; private set; }

    /// <summary>Distinct songs among the valid rows, in the partitions done.</summary>
    public long Songs { get; private set; }

    /// <summary>Songs whose copies disagree on target, in the partitions done.</summary>
    public long ConflictingSongs { get; private set; }

    public long TableBytes => (long)_slots.Length * sizeof(ulong);

    /// <summary>The key of a song: what the table stores without its target bits (never 0, the empty slot).</summary>
    public static ulong Key(ReadOnlySpan<byte> uri, int decade)
    {
        var hash = XxHash3.HashToUInt64(uri, decade) & ~TargetBits;
        return hash == 0 ? 4 : hash;
    }

    /// <summary>
    /// A valid row, the <paramref name="row"/>-th data row of the file, met by the pass of the current partition.
    /// Rows wait in a short queue while the memory of their slot is fetched: the table is far larger than the
    /// caches, and a miss costs more than parsing a row.
    /// </summary>
    public void Observe(long row, ulong key, double target)
    {
        var seen = Seen(target);
        var at = _queued & (QueueLength - 1);
        if (_queued >= QueueLength)
        {
            ref var oldest = ref _queue[at];
            Place(oldest.Row, oldest.Key, oldest.Seen);
        }

        _queue[at] = (row, key, seen);
        _queued++;
        Prefetch(key);
    }

    /// <summary>
    /// Like <see cref="Observe"/>, but settles the row at once (the one-pass cleaner writes it next): the first of its
    /// song, a repeat, a repeat that makes its song's copies disagree on target, or unsettled once the songs no longer
    /// fit in one partition. Never mixed with queued rows: call it only while nothing is queued.
    /// </summary>
    public Sighting Add(long row, ulong key, double target)
    {
        if (Partitions > 1 || _queued > 0)
        {
            Observe(row, key, target);
            return Sighting.Unsettled;
        }

        var seen = Seen(target);
        var isNew = Insert(key, seen, out var targets);
        Fates.Set(row, isNew ? RowFate.First : RowFate.Repeat);
        if (_used > _slots.Length * MaxLoad)
        {
            MakeRoom();
        }

        return Partitions > 1 ? Sighting.Unsettled
            : targets == TargetBits ? Sighting.Conflict
            : isNew ? Sighting.First
            : Sighting.Repeat;
    }

    private static ulong Seen(double target) => target switch
    {
        0 => SawZero,
        1 => SawOne,
        _ => 0UL,
    };

    private void Drain()
    {
        for (var k = Math.Max(0, _queued - QueueLength); k < _queued; k++)
        {
            ref var entry = ref _queue[k & (QueueLength - 1)];
            Place(entry.Row, entry.Key, entry.Seen);
        }

        _queued = 0;
    }

    private void Place(long row, ulong key, ulong seen)
    {
        if (PartitionOf(key) != _partition)
        {
            if (PartitionsDone == 0)
            {
                Fates.Set(row, RowFate.Pending);
            }

            return;
        }

        Fates.Set(row, Insert(key, seen) ? RowFate.First : RowFate.Repeat);
        if (_used > _slots.Length * MaxLoad)
        {
            MakeRoom();
        }
    }

    /// <summary>Ends the current partition: counts its songs, remembers its conflicting ones, empties the table for the next.</summary>
    public void EndPartition()
    {
        Drain();
        foreach (var slot in _slots)
        {
            if ((slot & TargetBits) == TargetBits)
            {
                _conflicting.Add(slot & ~TargetBits);
                ConflictingSongs++;
            }
        }

        Songs += _used;
        PartitionsDone = ++_partition;
        _used = 0;
        if (PartitionsDone == Partitions)
        {
            _slots = [];
        }
        else
        {
            Array.Clear(_slots);
        }
    }

    /// <summary>Writing pass: whether a valid row's song has copies that disagree on target (all of them are dropped).</summary>
    public bool IsConflicting(ulong key) => _conflicting.Count > 0 && _conflicting.Contains(key);

    public bool HasConflicts => _conflicting.Count > 0;

    /// <summary>Whether a row's song belongs to the partition being indexed now.</summary>
    public bool InCurrentPartition(ulong key) => PartitionOf(key) == _partition;

    /// <summary>Starts fetching the memory of a song's slot, so that an <see cref="Add"/> after other work finds it in the cache.</summary>
    public unsafe void Prefetch(ulong key)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref _slots[Home(key, _slots.Length)]));
        }
    }

    private int PartitionOf(ulong key) => Partitions == 1 ? 0 : (int)(((ulong)(uint)(key >> 2) * (ulong)Partitions) >> 32);

    private static int Home(ulong key, int size) => (int)Math.BigMul(key, (ulong)size, out _);

    private bool Insert(ulong key, ulong seen) => Insert(key, seen, out _);

    /// <summary>Adds the targets seen to a song; true when the song is new. <paramref name="targets"/>: every target seen for it now.</summary>
    private bool Insert(ulong key, ulong seen, out ulong targets)
    {
        var slots = _slots;
        var i = Home(key, slots.Length);
        while (true)
        {
            var slot = slots[i];
            if (slot == 0)
            {
                slots[i] = key | seen;
                _used++;
                targets = seen;
                return true;
            }

            if ((slot & ~TargetBits) == key)
            {
                slots[i] = slot | seen;
                targets = (slot | seen) & TargetBits;
                return false;
            }

            if (++i == slots.Length)
            {
                i = 0;
            }
        }
    }

    /// <summary>
    /// Grows the table while it may. At the bound, doubles the partitions (partition p splits into 2p and 2p + 1,
    /// so the partitions done stay done) and keeps only the songs of the current one; rows of the songs let go
    /// are met again, and their fates rewritten, by the pass of their own partition, which sees every valid row.
    /// </summary>
    private void MakeRoom()
    {
        if (_slots.Length < _maxSlots)
        {
            var old = _slots;
            _slots = HugePages.ZeroedTable((int)Math.Min(old.Length * 2L, _maxSlots));
            _used = 0;
            foreach (var slot in old)
            {
                if (slot != 0)
                {
                    Insert(slot & ~TargetBits, slot & TargetBits);
                }
            }

            return;
        }

        Partitions *= 2;
        _partition *= 2;
        PartitionsDone *= 2;
        for (var i = 0; i < _slots.Length; i++)
        {
            while (_slots[i] != 0 && PartitionOf(_slots[i] & ~TargetBits) != _partition)
            {
                RemoveAt(i);
            }
        }
    }

    /// <summary>Empties slot <paramref name="i"/> and shifts later members of its cluster back (no tombstones).</summary>
    private void RemoveAt(int i)
    {
        var slots = _slots;
        _used--;
        var j = i;
        while (true)
        {
            slots[i] = 0;
            while (true)
            {
                if (++j == slots.Length)
                {
                    j = 0;
                }

                if (slots[j] == 0)
                {
                    return;
                }

                // The entry at j stays when its home lies cyclically in (i, j]: moving it to i would put it before its home.
                var home = Home(slots[j] & ~TargetBits, slots.Length);
                if (!(i <= j ? i < home && home <= j : i < home || home <= j))
                {
                    break;
                }
            }

            slots[i] = slots[j];
            i = j;
        }
    }
}

/// <summary>What <see cref="DuplicateIndex.Add"/> settled about a valid row.</summary>
internal enum Sighting
{
    /// <summary>The first copy of its song (so far kept).</summary>
    First,

    /// <summary>A later copy with the same target: a duplicate.</summary>
    Repeat,

    /// <summary>A later copy with the other target: every copy of the song is dropped, the first one included.</summary>
    Conflict,

    /// <summary>The songs no longer fit in one partition: the row's fate is settled by a later pass.</summary>
    Unsettled,
}

/// <summary>What the passes learned about each data row.</summary>
internal enum RowFate : byte
{
    /// <summary>Breaks a rule: rejected with its reason (the writing pass reads the reason again).</summary>
    Invalid = 0,

    /// <summary>Valid, in a partition not indexed yet.</summary>
    Pending = 1,

    /// <summary>Valid and the first copy of its song: kept unless its song's copies disagree on target.</summary>
    First = 2,

    /// <summary>Valid and a later copy of a song already seen: a duplicate.</summary>
    Repeat = 3,
}

/// <summary>Two bits per data row (a quarter of a megabyte per million rows).</summary>
internal sealed class RowFates
{
    private ulong[] _words = new ulong[1024];

    public long Bytes => (long)_words.Length * sizeof(ulong);

    public void Set(long row, RowFate fate)
    {
        var word = row >> 5;
        if (word >= _words.Length)
        {
            Array.Resize(ref _words, (int)Math.Max(word + 1, _words.Length * 2L));
        }

        var shift = (int)(row & 31) * 2;
        _words[word] = (_words[word] & ~(3UL << shift)) | ((ulong)fate << shift);
    }

    public RowFate Get(long row)
    {
        var word = row >> 5;
        return word < _words.Length ? (RowFate)((_words[word] >> ((int)(row & 31) * 2)) & 3) : RowFate.Invalid;
    }
}
