using BitRom.Hardware.Components;
using BitRom.Hardware.Mapping;
using BitRom.Numerics.Floats;
using BitRom.Numerics.Kernels;
using BitRom.Numerics.Ternary;

namespace BitRom.Hardware.Simulation;

/// <summary>Ranges one matrix saw: int8 activations, running partial sums, and the TriMLA accumulators they imply.</summary>
public sealed class PartialSumRanges(string name)
{
    /// <summary>Matrix name.</summary>
    public string Name { get; } = name;

    /// <summary>int8 activations q.</summary>
    public SumRange Activation { get; } = new();

    /// <summary>Running sums Σ_{j≤k} W[n, j]·q[j] over the whole input dimension (the authors' analysis).</summary>
    public SumRange Running { get; } = new();

    /// <summary>Running values of a local accumulator (restarts every group_rows inputs and at block edges).</summary>
    public SumRange Local { get; } = new();

    /// <summary>Values of a global accumulator after each group add (restarts at each column-sum segment).</summary>
    public SumRange Global { get; } = new();

    /// <summary>Calls observed.</summary>
    public long Calls { get; internal set; }
}

/// <summary>
/// Wraps a backend and records, per matrix, what the authors' <c>utils/analyze_partial_sum.py</c> records (PAPER-NOTES
/// §4) on the int8 activations, plus the exact local/global accumulator ranges of the configured TriMLA, from which
/// the smallest overflow-free widths follow. Results come from the inner backend, unchanged.
/// </summary>
public sealed class PartialSumProbe(IMatmulBackend inner, ChipConfig config) : IMatmulBackend
{
    private readonly Dictionary<string, PartialSumRanges> _ranges = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public string Name => inner.Name + "+partial-sums";

    /// <summary>Per matrix, in first-seen order.</summary>
    public IReadOnlyCollection<PartialSumRanges> Ranges => _ranges.Values;

    /// <inheritdoc />
    public void Dense(DenseMatrix w, ReadOnlySpan<float> x, int tokens, Span<float> y) => inner.Dense(w, x, tokens, y);

    /// <inheritdoc />
    public void Ternary(TernaryMatrix w, ReadOnlySpan<sbyte> q, int tokens, Span<int> acc)
    {
        inner.Ternary(w, q, tokens, acc);
        if (!_ranges.TryGetValue(w.Name, out PartialSumRanges? r)) _ranges[w.Name] = r = new PartialSumRanges(w.Name);
        r.Calls++;
        int k = w.Cols, rows = config.ArrayRows, group = config.GroupRows;
        foreach (sbyte v in q[..(tokens * k)]) r.Activation.Observe(v);
        // Column sums span one plane, or two when the compiler merges planes (inputs extension) for this shape.
        bool merge = RomCompiler.Choose(RomCompiler.Blocks(k, rows), RomCompiler.Blocks(w.Rows, config.ArrayCols), config.Planes) == PlaneAssignment.Inputs;
        int segment = merge ? 2 * rows : rows;
        // Rows are independent: each worker keeps its own ranges, merged once (the analysis is O(tokens · N · K)).
        var gate = new object();
        sbyte[] qCopy = q[..(tokens * k)].ToArray();
        Parallel.For(0, w.Rows, () => (Trits: new sbyte[k], Running: new SumRange(), Local: new SumRange(), Global: new SumRange()),
            (n, _, s) =>
            {
                TernaryPacking.Unpack(w.Row(n), s.Trits);
                for (int t = 0; t < tokens; t++) Scan(s.Trits, qCopy.AsSpan(t * k, k), rows, group, segment, s.Running, s.Local, s.Global);
                return s;
            },
            s =>
            {
                lock (gate)
                {
                    r.Running.Merge(s.Running);
                    r.Local.Merge(s.Local);
                    r.Global.Merge(s.Global);
                }
            });
    }

    private static void Scan(sbyte[] trits, ReadOnlySpan<sbyte> qt, int rows, int group, int segment, SumRange running, SumRange localRange, SumRange globalRange)
    {
        long sum = 0, local = 0, global = 0;
        for (int i = 0; i < trits.Length; i++)
        {
            int rowInPlane = i % rows;
            if (i % segment == 0) global = 0;
            long term = trits[i] * qt[i];
            sum += term;
            local += term;
            running.Observe(sum);
            if (term != 0) localRange.Observe(local); // as the TriMLA: only a non-zero term changes the sum
            if ((rowInPlane + 1) % group == 0 || rowInPlane == rows - 1 || i == trits.Length - 1)
            {
                global += local;
                local = 0;
                globalRange.Observe(global);
            }
        }
    }
}
