using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ChartBuster.Songs;

/// <summary>
/// Tables of songs in 2 MiB pages where Linux allows it (transparent huge pages in "madvise" mode, as on Debian and
/// Lambda). The duplicate index is read at random; with 4 KiB pages a table of a million songs spans more pages than
/// the TLB maps, so nearly every lookup also walks the page tables (most of its cost on a virtual machine).
/// </summary>
internal static partial class HugePages
{
    private const nuint PageSize = 2 << 20;
    private const int MadviseHugePage = 14;

    /// <summary>A zeroed table, pinned (its pages are advised by address) and asked for huge pages when it spans any.</summary>
    public static unsafe ulong[] ZeroedTable(int slots)
    {
        if ((nuint)slots * sizeof(ulong) < 2 * PageSize || !OperatingSystem.IsLinux())
        {
            return new ulong[slots];
        }

        // Uninitialized: fresh memory is advised before its first touch (the zeroing below), or it stays in small pages.
        var table = GC.AllocateUninitializedArray<ulong>(slots, pinned: true);
        var start = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(table));
        // Rounded outwards: a huge page at either end that other objects share is only advice where they have touched it.
        var first = start & ~(PageSize - 1);
        var end = (start + ((nuint)slots * sizeof(ulong)) + PageSize - 1) & ~(PageSize - 1);
        try
        {
            _ = Madvise(first, end - first, MadviseHugePage); // advice only: refused, the table works the same
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl, say): no advice to give, and small pages are only slower.
        }

        Array.Clear(table);
        return table;
    }

    [LibraryImport("libc.so.6", EntryPoint = "madvise")]
    private static partial int Madvise(nuint address, nuint length, int advice);
}
