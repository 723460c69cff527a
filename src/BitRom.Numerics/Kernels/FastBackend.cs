using System.Buffers;
using System.Runtime.CompilerServices;
using BitRom.Numerics.Floats;
using BitRom.Numerics.Ternary;
using BitRom.Numerics.Threading;

namespace BitRom.Numerics.Kernels;

/// <summary>
/// The fast backend: SIMD ternary kernels (<see cref="TernaryKernels"/>) and dense head (<see cref="DenseKernels"/>),
/// with output rows split across a persistent <see cref="WorkerPool"/>. Bit-identical to <see cref="ReferenceBackend"/>.
/// </summary>
/// <remarks>
/// Contract: one caller thread at a time (a forward pass); no managed allocation per call once the scratch
/// buffers have grown to the largest shape seen. Ternary weights are read in place (memory-mapped or not); a dense
/// head is copied once, on first use, into the streaming layout of <see cref="InterleavedDense"/> (kept per matrix
/// instance; a memory-mapped source's pages are released after the copy, so the head is resident once; the first
/// call pays the copy).
/// </remarks>
public sealed unsafe class FastBackend : IMatmulBackend, IParallelBackend, IDisposable
{
    /// <summary>Default multiply-accumulates below which a call runs on the caller alone (pool hand-off costs ~µs).</summary>
    public const long DefaultInlineWork = 1 << 16;

    /// <summary>The smallest claim is 1/(32·threads) of the rows: the pool's guided schedule hands out long runs first,
    /// so this only bounds the wait at the end of a call (one claim, ~1.5 % of a two-thread call).</summary>
    private const int GrabsPerThread = 32;

    private readonly WorkerPool _pool;
    private readonly TernaryActivations _activations = new();
    private readonly ManyJob _many = new();
    private readonly DenseJob _dense;
    private readonly ConditionalWeakTable<DenseMatrix, InterleavedDense> _interleaved = new();

    /// <summary>Creates the backend with <paramref name="threads"/> participants (0 = all cores).</summary>
    public FastBackend(int threads = 0, long inlineWork = DefaultInlineWork)
    {
        _pool = new WorkerPool(threads);
        _dense = new DenseJob(_pool.Threads);
        InlineWork = inlineWork;
    }

    /// <inheritdoc />
    public string Name => "fast";

    /// <inheritdoc />
    public WorkerPool Pool => _pool;

    /// <summary>Bytes the worker threads have allocated (see <see cref="WorkerPool.WorkerAllocatedBytes"/>).</summary>
    public long WorkerAllocatedBytes => _pool.WorkerAllocatedBytes;

    /// <inheritdoc />
    public long InlineWork { get; }

    /// <inheritdoc />
    public void Ternary(TernaryMatrix w, ReadOnlySpan<sbyte> q, int tokens, Span<int> acc)
    {
        TernaryGemm.CheckShapes(w, q.Length, acc.Length, tokens);
        TernaryMany(new ReadOnlySpan<TernaryMatrix>(in w), q, tokens, acc);
    }

    /// <inheritdoc />
    /// <remarks>The activations are rearranged once and all the matrices' rows form one pool job.</remarks>
    public void TernaryMany(ReadOnlySpan<TernaryMatrix> ws, ReadOnlySpan<sbyte> q, int tokens, Span<int> acc)
    {
        if (ws.Length == 0 || tokens == 0) return;
        long rows = 0, work = 0;
        foreach (TernaryMatrix w in ws)
        {
            if (w.Cols != ws[0].Cols) throw new ArgumentException($"{w.Name} has K = {w.Cols}, {ws[0].Name} has K = {ws[0].Cols}: one shared input needs one K");
            rows += w.Rows;
            work += (long)w.Rows * w.Cols * tokens;
        }
        if (q.Length < (long)tokens * ws[0].Cols || acc.Length < rows * tokens)
            throw new ArgumentException($"{ws.Length} matrices: {tokens} tokens need q >= {(long)tokens * ws[0].Cols} and acc >= {rows * tokens}, got {q.Length} and {acc.Length}");
        _activations.Prepare(q, tokens, ws[0].Cols);
        fixed (int* ap = acc)
        {
            try
            {
                _many.Set(ws, _activations, ap, tokens);
                _pool.Run(_many, (int)rows, Grain((int)rows, work, TernaryKernels.RowBlock));
            }
            finally { _many.Clear(); }
        }
    }

    /// <inheritdoc />
    public void Dense(DenseMatrix w, ReadOnlySpan<float> x, int tokens, Span<float> y)
    {
        DenseKernels.CheckShapes(w, x.Length, y.Length, tokens);
        if (tokens == 0) return;
        InterleavedDense? iw = null;
        if (InterleavedDense.Supports(w) && !_interleaved.TryGetValue(w, out iw))
        {
            iw = InterleavedDense.Build(w, _pool);
            _interleaved.AddOrUpdate(w, iw);
        }
        fixed (float* xp = x)
        fixed (float* yp = y)
        {
            _dense.Set(w, iw, xp, tokens, yp);
            try { _pool.Run(_dense, w.Rows, Grain(w.Rows, (long)w.Rows * w.Cols * tokens, DenseKernels.RowBlock)); }
            finally { _dense.Clear(); }
        }
    }

    /// <summary>Smallest claimed sub-range: everything when the call is small, else about 1/(32·threads) of the rows, in whole row blocks.</summary>
    private int Grain(int rows, long work, int multiple)
    {
        if (work < InlineWork || _pool.Threads == 1) return rows;
        int grain = (rows + _pool.Threads * GrabsPerThread - 1) / (_pool.Threads * GrabsPerThread);
        return Math.Max(multiple, (grain + multiple - 1) / multiple * multiple);
    }

    /// <summary>Stops the worker threads.</summary>
    public void Dispose() => _pool.Dispose();

    /// <summary>The rows of one or more matrices as one index range; each sub-range is cut at the matrix boundaries.</summary>
    /// <remarks>Its arrays grow to the most matrices seen in one call (three: q/k/v), then never again.</remarks>
    private sealed class ManyJob : IRangeWork
    {
        private TernaryMatrix?[] _w = [];
        private MemoryHandle[] _pins = [];
        private int[] _firstRow = [0];
        private long[] _accOffset = [];
        private int _count;
        private TernaryActivations? _a;
        private int* _acc;

        public void Set(ReadOnlySpan<TernaryMatrix> ws, TernaryActivations a, int* acc, int tokens)
        {
            _count = 0;
            _a = a;
            _acc = acc;
            if (_w.Length < ws.Length)
            {
                _w = new TernaryMatrix?[ws.Length];
                _pins = new MemoryHandle[ws.Length];
                _firstRow = new int[ws.Length + 1];
                _accOffset = new long[ws.Length];
            }
            long offset = 0;
            for (int j = 0; j < ws.Length; j++)
            {
                _w[j] = ws[j];
                _pins[j] = ws[j].Packed.Pin();
                _count = j + 1; // what Clear must release, should a later pin fail
                _firstRow[j + 1] = _firstRow[j] + ws[j].Rows;
                _accOffset[j] = offset;
                offset += (long)tokens * ws[j].Rows;
            }
        }

        public void Clear()
        {
            for (int j = 0; j < _count; j++)
            {
                _pins[j].Dispose();
                _w[j] = null;
            }
            _count = 0;
            _a = null;
            _acc = null;
        }

        public void Execute(int start, int end, int worker)
        {
            for (int j = 0; j < _count && start < end; j++)
            {
                int from = Math.Max(start, _firstRow[j]), to = Math.Min(end, _firstRow[j + 1]);
                if (from >= to) continue;
                TernaryKernels.Rows(_w[j]!, (byte*)_pins[j].Pointer, _a!, from - _firstRow[j], to - _firstRow[j], _acc + _accOffset[j]);
            }
        }
    }

    private sealed class DenseJob(int threads) : IRangeWork
    {
        private readonly float[][] _rows = new float[threads][];
        private DenseMatrix? _w;
        private InterleavedDense? _iw;
        private float* _x, _y;
        private int _tokens;

        public void Set(DenseMatrix w, InterleavedDense? iw, float* x, int tokens, float* y)
        {
            _w = w; _iw = iw; _x = x; _tokens = tokens; _y = y;
            for (int i = 0; i < _rows.Length; i++)
                if (_rows[i] is null || _rows[i].Length < DenseKernels.RowBlock * w.Cols) _rows[i] = new float[DenseKernels.RowBlock * w.Cols];
        }

        public void Clear() { _w = null; _iw = null; _x = null; _y = null; }

        public void Execute(int start, int end, int worker)
        {
            DenseMatrix w = _w!;
            var x = new ReadOnlySpan<float>(_x, _tokens * w.Cols);
            var y = new Span<float>(_y, _tokens * w.Rows);
            if (_iw is not null) DenseKernels.RowsInterleaved(_iw, x, _tokens, start, end, y, _rows[worker]);
            else DenseKernels.Rows(w, x, _tokens, start, end, y, _rows[worker]);
        }
    }
}
