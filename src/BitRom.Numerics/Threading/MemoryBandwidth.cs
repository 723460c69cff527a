using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace BitRom.Numerics.Threading;

/// <summary>Measures this machine's sustained DRAM read bandwidth with the same worker pool the engine uses.</summary>
/// <remarks>
/// Decode streams every weight once per token, so bytes/token ÷ read bandwidth is the decode speed limit (DESIGN.md §5;
/// the roofline argument of Williams et al. 2009). The buffer is 16× the 32 MiB L3 of this machine so caches cannot
/// serve it; each participant reads its share with 256-bit loads into four independent accumulators.
/// </remarks>
public static class MemoryBandwidth
{
    /// <summary>Default buffer: 512 MiB (16× a 32 MiB L3).</summary>
    public const long DefaultBytes = 512L << 20;

    /// <summary>Default passes; the fastest is reported (the machine's capability, least disturbed by other load).</summary>
    public const int DefaultPasses = 5;

    /// <summary>Bytes per claimed sub-range (1 MiB): large enough that the hand-off cost vanishes.</summary>
    private const int Block = 1 << 20;

    /// <summary>Read bandwidth in bytes per second with <paramref name="threads"/> participants: best of <paramref name="passes"/>.</summary>
    public static double MeasureReadBytesPerSecond(int threads, long bytes = DefaultBytes, int passes = DefaultPasses)
    {
        if (bytes < Block || passes <= 0) throw new ArgumentException($"bandwidth probe needs >= {Block} bytes and >= 1 pass");
        int blocks = (int)(bytes / Block);
        byte[] buffer = GC.AllocateUninitializedArray<byte>(blocks * Block, pinned: true);
        buffer.AsSpan().Fill(1); // fault every page in before timing
        using var pool = new WorkerPool(threads);
        var work = new ReadWork(buffer);
        double best = 0;
        for (int p = 0; p < passes; p++)
        {
            long start = Stopwatch.GetTimestamp();
            pool.Run(work, blocks, Math.Max(1, blocks / (pool.Threads * 16)));
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            best = Math.Max(best, (double)blocks * Block / seconds);
        }
        if (work.Checksum == 42) Debug.WriteLine("unlikely"); // keeps the reads observable
        return best;
    }

    private sealed class ReadWork(byte[] buffer) : IRangeWork
    {
        private long _checksum;

        public long Checksum => _checksum;

        public void Execute(int start, int end, int worker)
        {
            ref byte data = ref MemoryMarshal.GetArrayDataReference(buffer);
            Vector256<byte> a = default, b = default, c = default, d = default;
            for (long off = (long)start * Block, stop = (long)end * Block; off < stop; off += 128)
            {
                a |= Vector256.LoadUnsafe(ref Unsafe.Add(ref data, (nint)off));
                b |= Vector256.LoadUnsafe(ref Unsafe.Add(ref data, (nint)off + 32));
                c |= Vector256.LoadUnsafe(ref Unsafe.Add(ref data, (nint)off + 64));
                d |= Vector256.LoadUnsafe(ref Unsafe.Add(ref data, (nint)off + 96));
            }
            Interlocked.Add(ref _checksum, (long)(a | b | c | d).AsUInt64().GetElement(0));
        }
    }
}
