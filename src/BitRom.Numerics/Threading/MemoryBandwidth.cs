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
        if (passes <= 0) throw new ArgumentException($"bandwidth probe needs >= 1 pass, got {passes}");
        using var probe = new Probe(threads, bytes);
        double best = 0;
        for (int p = 0; p < passes; p++) best = Math.Max(best, probe.Pass());
        return best;
    }

    /// <summary>
    /// A bandwidth probe kept alive between passes, so a benchmark can take one pass next to each of its timed runs
    /// and compare like with like (the same minutes of a shared machine) instead of one burst against another.
    /// </summary>
    public sealed class Probe : IDisposable
    {
        private readonly byte[] _buffer;
        private readonly WorkerPool _pool;
        private readonly ReadWork _work;
        private readonly int _blocks;

        /// <summary>Allocates and faults in <paramref name="bytes"/> (rounded down to whole MiB) read by <paramref name="threads"/> participants.</summary>
        public Probe(int threads, long bytes = DefaultBytes)
        {
            if (bytes < Block || bytes / Block > int.MaxValue / Block) throw new ArgumentException($"bandwidth probe needs {Block} to {int.MaxValue} bytes, got {bytes}");
            _blocks = (int)(bytes / Block);
            _buffer = GC.AllocateUninitializedArray<byte>(_blocks * Block, pinned: true);
            _buffer.AsSpan().Fill(1); // fault every page in before timing
            _pool = new WorkerPool(threads);
            _work = new ReadWork(_buffer);
        }

        /// <summary>Bytes read per pass.</summary>
        public long Bytes => (long)_blocks * Block;

        /// <summary>One timed pass over the buffer; bytes per second.</summary>
        public double Pass()
        {
            long start = Stopwatch.GetTimestamp();
            _pool.Run(_work, _blocks, Math.Max(1, _blocks / (_pool.Threads * 16)));
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (_work.Checksum == 42) Debug.WriteLine("unlikely"); // keeps the reads observable
            return Bytes / seconds;
        }

        /// <summary>Stops the probe's threads (the buffer goes with the object).</summary>
        public void Dispose() => _pool.Dispose();
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
