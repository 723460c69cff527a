using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace BitRom.Numerics.Threading;

/// <summary>A piece of parallel work over the index range [0, items): the pool hands out sub-ranges.</summary>
/// <remarks>Contract: <see cref="Execute"/> may run concurrently on different ranges; it must not allocate
/// if the caller wants allocation-free steady state, and ranges never overlap.</remarks>
public interface IRangeWork
{
    /// <summary>Processes indices [start, end) on participant <paramref name="worker"/> (0 = the calling thread).</summary>
    void Execute(int start, int end, int worker);
}

/// <summary>
/// A persistent pool of worker threads that split index ranges (output rows) with the calling thread.
/// No task or delegate is allocated per call: the caller passes a reusable <see cref="IRangeWork"/> object.
/// </summary>
/// <remarks>
/// Sub-ranges are claimed dynamically from an interlocked cursor with guided self-scheduling (Polychronopoulos and
/// Kuck, IEEE Trans. Computers 36(12), 1987): each claim takes remaining / (2 · participants) indices rounded up to
/// whole grains, never less than one grain. Early claims are long (long sequential memory streams per core), the
/// last ones one grain (a short wait at the end of each call), and a core stolen by another process delays only
/// its own share. Results never depend on who computed which row.
/// Workers spin for <see cref="SpinMicroseconds"/> after each call, because a forward pass issues one call per
/// matrix (about 210 per decoded token for 30 layers) and waking a blocked thread costs tens of microseconds;
/// after that they block on a monitor so an idle model burns no CPU. Contract: one caller at a time
/// (the owning backend); <see cref="Run"/> throws when re-entered.
/// </remarks>
public sealed class WorkerPool : IDisposable
{
    /// <summary>Default spin before a worker blocks (µs): a few matrix calls' worth, so workers stay hot within a token.</summary>
    public const int SpinMicroseconds = 200;

    private readonly Thread[] _threads;
    private readonly object _gate = new();
    private readonly long _spinTicks;
    private IRangeWork? _work;
    private int _items, _grain, _next, _pending, _busy;
    private long _generation;
    private volatile bool _disposed;
    private ExceptionDispatchInfo? _error;
    private readonly long[] _allocated;

    /// <summary>Creates a pool of <paramref name="threads"/> participants including the caller (0 = all cores).</summary>
    public WorkerPool(int threads = 0)
    {
        if (threads < 0) throw new ArgumentOutOfRangeException(nameof(threads), threads, "thread count must be >= 0");
        Threads = threads == 0 ? Environment.ProcessorCount : threads;
        _spinTicks = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;
        _threads = new Thread[Threads - 1];
        _allocated = new long[Threads];
        for (int i = 0; i < _threads.Length; i++)
        {
            int worker = i + 1;
            _threads[i] = new Thread(() => WorkerLoop(worker)) { IsBackground = true, Name = $"bitrom-worker-{worker}" };
            _threads[i].Start();
        }
    }

    /// <summary>Participants, the calling thread included.</summary>
    public int Threads { get; }

    /// <summary>Σ over the pool's own threads of GC.GetAllocatedBytesForCurrentThread, as of their last finished call (tests).</summary>
    public long WorkerAllocatedBytes
    {
        get
        {
            long sum = 0;
            for (int i = 1; i < _allocated.Length; i++) sum += Volatile.Read(ref _allocated[i]);
            return sum;
        }
    }

    /// <summary>Runs <paramref name="work"/> over [0, items) in sub-ranges of whole <paramref name="grain"/>s (every start is a multiple of it); returns when all are done.</summary>
    public void Run(IRangeWork work, int items, int grain)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (items <= 0) return;
        if (grain <= 0) throw new ArgumentOutOfRangeException(nameof(grain), grain, "grain must be positive");
        if (_threads.Length == 0 || items <= grain)
        {
            work.Execute(0, items, 0);
            return;
        }
        if (Interlocked.Exchange(ref _busy, 1) != 0) throw new InvalidOperationException("WorkerPool.Run is not re-entrant");
        try
        {
            _work = work;
            _items = items;
            _grain = grain;
            _next = 0;
            _error = null;
            Volatile.Write(ref _pending, _threads.Length);
            lock (_gate)
            {
                _generation++;
                Monitor.PulseAll(_gate);
            }
            Drain(0);
            var spin = new SpinWait();
            while (Volatile.Read(ref _pending) != 0) spin.SpinOnce(sleep1Threshold: -1);
            _work = null;
            _error?.Throw();
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Claims and executes sub-ranges until none are left.</summary>
    private void Drain(int worker)
    {
        IRangeWork work = _work!;
        int items = _items, grain = _grain;
        try
        {
            int share = 2 * Threads;
            while (true)
            {
                int start = Volatile.Read(ref _next);
                if (start >= items) return;
                int size = Math.Max(grain, (items - start) / share);
                size = (int)Math.Min(((long)size + grain - 1) / grain * grain, items - start);
                if (Interlocked.CompareExchange(ref _next, start + size, start) != start) continue;
                work.Execute(start, start + size, worker);
            }
        }
        catch (Exception e)
        {
            _error ??= ExceptionDispatchInfo.Capture(e);
            Volatile.Write(ref _next, items);
        }
    }

    private void WorkerLoop(int worker)
    {
        long seen = 0;
        while (true)
        {
            long deadline = Stopwatch.GetTimestamp() + _spinTicks;
            while (Volatile.Read(ref _generation) == seen && !_disposed && Stopwatch.GetTimestamp() < deadline) Thread.SpinWait(16);
            if (Volatile.Read(ref _generation) == seen && !_disposed)
                lock (_gate)
                    while (_generation == seen && !_disposed) Monitor.Wait(_gate);
            if (_disposed) return;
            seen = Volatile.Read(ref _generation);
            Drain(worker);
            Volatile.Write(ref _allocated[worker], GC.GetAllocatedBytesForCurrentThread());
            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary>Stops and joins the worker threads.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        lock (_gate) Monitor.PulseAll(_gate);
        foreach (Thread t in _threads) t.Join();
    }
}
