using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Piramid.Engine;

/// <summary>
/// Allocates the engine's large arrays (the slab, checkpoint records, log segments read at open) so that the kernel
/// backs them with 2 MiB transparent huge pages where it offers them on request (<c>madvise</c> mode, the default of
/// many distributions and of this project's machines).
/// </summary>
/// <remarks>
/// A wake copies a whole collection into fresh memory, and each first touch of a 4 KiB page is a page fault: on the
/// virtual machines measured here about 11 µs each, so 100 MiB took ≈ 290 ms to fault in, and an engine's open faulted
/// in three such copies (checkpoint records, slab, log segments). A 2 MiB page takes one fault for 512 small ones
/// (6–17 ms per 100 MiB, and up to 180 ms where the virtual machine's host has not backed that memory yet,
/// docs/design/hibernation.md). The advice only changes how untouched pages are faulted in; it
/// is a hint the kernel may ignore (THP off, no free huge page), and then nothing changes.
/// </remarks>
internal static partial class LargeArrays
{
    private const nuint HugePageBytes = 2 * 1024 * 1024;
    private const int MadviseHugePage = 14; // MADV_HUGEPAGE
    private const int MadvisePopulateWrite = 23; // MADV_POPULATE_WRITE, Linux 5.14
    private const nuint PrefaultSliceBytes = 8 * 1024 * 1024;
    private const long MinPrefaultBytes = 8 * 1024 * 1024;

    /// <summary>
    /// A pinned array of <paramref name="length"/> elements, not zeroed when its memory is fresh from the system
    /// (callers overwrite what they use), advised for huge pages when it spans at least one.
    /// </summary>
    public static T[] AllocateUninitialized<T>(int length)
        where T : unmanaged
    {
        var array = GC.AllocateUninitializedArray<T>(length, pinned: true);
        AdviseHugePages(array);
        return array;
    }

    /// <summary>
    /// A pinned, zeroed array, advised like <see cref="AllocateUninitialized{T}"/>. Memory fresh from the system is zero
    /// already and stays untouched until used; only reused memory, whose pages are in place anyway, is cleared.
    /// </summary>
    public static T[] Allocate<T>(int length)
        where T : unmanaged
    {
        var array = GC.AllocateArray<T>(length, pinned: true);
        AdviseHugePages(array);
        return array;
    }

    /// <summary>
    /// Reads the whole file at <paramref name="path"/> into <paramref name="buffer"/>, replaced by a larger array from
    /// <see cref="AllocateUninitialized{T}"/> when it is too small; returns the file's length.
    /// </summary>
    public static int ReadInto(string path, ref byte[] buffer)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var length = RandomAccess.GetLength(handle);
        if (length > Array.MaxLength)
        {
            throw new IOException($"{path} is larger than an array can hold ({length} bytes).");
        }

        if (buffer.Length < length)
        {
            buffer = AllocateUninitialized<byte>((int)length);
        }

        var read = 0;
        while (read < length)
        {
            var n = RandomAccess.Read(handle, buffer.AsSpan(read, (int)length - read), read);
            if (n == 0)
            {
                break; // shorter than it was a moment ago
            }

            read += n;
        }

        return read;
    }

    /// <summary>The memory of elements <c>[first, first + count)</c> of a pinned array from this class.</summary>
    public static unsafe PinnedRange RangeOf<T>(T[] array, long first, long count)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(array);
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first + count, array.LongLength);
        var start = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array)) + ((nuint)first * (nuint)sizeof(T));
        return new PinnedRange(array, start, (nuint)count * (nuint)sizeof(T));
    }

    /// <summary>
    /// Faults in the pages of <paramref name="ranges"/> on a thread of its own, in order, without changing a byte
    /// (<c>MADV_POPULATE_WRITE</c>), while the caller fills them. A checkpoint load writes a whole slab and graph into
    /// fresh memory, and the kernel zeroes each fresh page at its first touch: on the virtual machine measured here that
    /// zeroing took 40 % of a 100k-point engine's start (its CPU samples), all of it on the loading thread
    /// (docs/design/hibernation.md, "Prefault"). Here it runs on the other core. Completes when done or refused
    /// (before Linux 5.14, or out of memory: the caller's own writes then fault the pages in as before); ranges of
    /// less than 8 MiB in all are left to the caller.
    /// </summary>
    public static Task PrefaultInBackground(IReadOnlyList<PinnedRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        long total = 0;
        foreach (var range in ranges)
        {
            total += (long)range.Length;
        }

        if (!OperatingSystem.IsLinux() || total < MinPrefaultBytes)
        {
            return Task.CompletedTask;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            Populate(ranges); // the ranges hold their arrays, so the memory stays theirs until the end
            done.SetResult();
        })
        {
            IsBackground = true,
            Name = "Piramid prefault",
        };
        thread.Start();
        return done.Task;
    }

    private static void Populate(IReadOnlyList<PinnedRange> ranges)
    {
        var pageBytes = (nuint)Environment.SystemPageSize;
        foreach (var range in ranges)
        {
            // Whole pages only: the pages at the ends may hold other objects, which their own writes fault in.
            var first = (range.Address + pageBytes - 1) & ~(pageBytes - 1);
            var end = (range.Address + range.Length) & ~(pageBytes - 1);
            for (var at = first; at < end; at += PrefaultSliceBytes)
            {
                if (Madvise(at, Math.Min(PrefaultSliceBytes, end - at), MadvisePopulateWrite) != 0)
                {
                    return; // EINVAL before 5.14, ENOMEM at the memory limit: the loader's writes fault the rest in
                }
            }

            GC.KeepAlive(range.Owner);
        }
    }

    // Only the whole 2 MiB pages inside the array: the advice applies to address ranges, and the pages at its ends may
    // hold other objects. The array is pinned, so the range stays its own.
    private static unsafe void AdviseHugePages<T>(T[] array)
        where T : unmanaged
    {
        if (!OperatingSystem.IsLinux() || (nuint)array.Length * (nuint)sizeof(T) < 2 * HugePageBytes)
        {
            return;
        }

        var start = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        var end = start + ((nuint)array.Length * (nuint)sizeof(T));
        var first = (start + HugePageBytes - 1) & ~(HugePageBytes - 1);
        var last = end & ~(HugePageBytes - 1);
        if (last > first)
        {
            _ = Madvise(first, last - first, MadviseHugePage); // a refusal (EINVAL without THP) leaves 4 KiB pages
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nuint address, nuint length, int advice);
}

/// <summary>
/// A range of a pinned array's memory, holding the array so that the memory stays its own while the range is in use.
/// </summary>
internal readonly record struct PinnedRange(Array Owner, nuint Address, nuint Length);
