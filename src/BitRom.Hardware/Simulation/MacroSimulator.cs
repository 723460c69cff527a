using BitRom.Hardware.Components;
using BitRom.Hardware.Mapping;

namespace BitRom.Hardware.Simulation;

/// <summary>
/// Bit-accurate stepping (DESIGN.md §5.4–§5.5): every macro holding the matrix reads its planes word line by word line;
/// each column's sense amplifier yields a trit, its TriMLA adds, subtracts or idles, flushes the local accumulator
/// every <c>group_rows</c> lines, and the adder tree sums the column results of macros sharing outputs.
/// </summary>
public sealed class MacroSimulator(ChipConfig config, SenseAmplifier sense)
{
    private readonly TriMla _trimla = new(config);
    private readonly int _tokensPerRead = config.TokensPerRead;
    private readonly bool _skipPaddedRows = config.SkipPaddedRows;

    /// <summary>acc[t, n] for matrix <paramref name="m"/> computed from its mask, recording actions in <paramref name="stats"/>.</summary>
    public void Run(CompiledMatrix m, ReadOnlySpan<sbyte> q, int tokens, Span<int> acc, MatrixStats stats)
    {
        MatrixShape shape = m.Mapping.Shape;
        int n = shape.Rows, k = shape.Cols, rows = m.Image.Mapping.ArrayRows, cols = m.Image.Mapping.ArrayCols;
        acc[..(tokens * n)].Clear();
        EventCounts ev = stats.Events;
        var sensed = new sbyte[cols];
        var parts = new int[m.Mapping.OutputBlocks];
        for (int t0 = 0; t0 < tokens; t0 += _tokensPerRead)
        {
            // One read of a word line serves `lanes` tokens (tokens_per_read accumulator lanes per column).
            int lanes = Math.Min(_tokensPerRead, tokens - t0);
            var local = new long[lanes * cols];
            var global = new long[lanes * cols];
            var qk = new int[lanes];
            Array.Clear(parts);
            foreach (CompiledMatrix.Segment seg in m.Segments)
            {
                Array.Clear(global);
                foreach ((Direction d, PlaneBlock block) in seg.Planes)
                {
                    BiRoma roma = m.Image.Macro(seg.Macro);
                    long errorsBefore = sense.Errors;
                    int read = _skipPaddedRows ? CompiledMatrix.ValidRows(block, k, rows) : rows;
                    for (int r = 0; r < read; r++)
                    {
                        ReadOnlySpan<sbyte> line = sense.Sense(roma.Read(d, r), sensed);
                        int input = block.InputStart + r;
                        for (int l = 0; l < lanes; l++) qk[l] = input < k ? q[(t0 + l) * k + input] : 0;
                        StepWordLine(line, qk, local, cols, ev, d, stats, () => Where(m, seg.Macro, d, block.InputStart, r));
                        if ((r + 1) % _trimla.GroupRows == 0 || r == read - 1)
                            FlushGroup(local, global, cols, ev, stats, (c, l) => $"{Where(m, seg.Macro, d, block.InputStart, r)}, column {c}, token {t0 + l}");
                    }
                    ev.Add(ChipEvent.SenseError, sense.Errors - errorsBefore);
                    ev.Add(ChipEvent.WordLineRead, read);
                }
                int outStart = seg.OutputBlock * cols, valid = Math.Min(cols, n - outStart);
                // The tree adds only columns that hold outputs; padded columns' sums are discarded.
                if (parts[seg.OutputBlock]++ > 0) ev.Add(ChipEvent.AdderTreeAdd, (long)valid * lanes);
                for (int l = 0; l < lanes; l++)
                    for (int c = 0; c < valid; c++) acc[(t0 + l) * n + outStart + c] += (int)global[l * cols + c];
            }
            ev.Add(ChipEvent.LatencyCycles, _skipPaddedRows ? m.LatencyValidRows : m.LatencyRows);
        }
        ev.Add(ChipEvent.TernaryMac, (long)n * k * tokens);
        ev.Add(ChipEvent.MatrixCall, 1);
        for (int i = 0; i < tokens * n; i++) stats.Output.Observe(acc[i]);
    }

    private void StepWordLine(ReadOnlySpan<sbyte> line, int[] qk, long[] local, int cols, EventCounts ev, Direction d,
        MatrixStats stats, Func<string> where)
    {
        long zero = 0, plus = 0, minus = 0;
        foreach (sbyte t in line)
        {
            if (t == 0) zero++;
            else if (t > 0) plus++;
            else minus++;
        }
        bool f = d == Direction.F;
        ev.Add(f ? ChipEvent.SenseReadFZero : ChipEvent.SenseReadBZero, zero);
        ev.Add(f ? ChipEvent.SenseReadFPlus : ChipEvent.SenseReadBPlus, plus);
        ev.Add(f ? ChipEvent.SenseReadFMinus : ChipEvent.SenseReadBMinus, minus);
        int lanes = qk.Length;
        ev.Add(ChipEvent.LocalAdd, plus * lanes);
        ev.Add(ChipEvent.LocalSub, minus * lanes);
        ev.Add(ChipEvent.Idle, zero * lanes);
        long max = _trimla.LocalMax, min = -max - 1;
        for (int l = 0; l < lanes; l++)
        {
            int q = qk[l];
            // Mode is set by the trit, so an add of q = 0 still happens (and is counted); it cannot change the sum.
            if (q == 0) { ev.Add(ChipEvent.ZeroOperandOp, plus + minus); continue; }
            Span<long> acc = local.AsSpan(l * cols, cols);
            for (int c = 0; c < cols; c++)
            {
                int t = line[c];
                if (t == 0) continue;
                long v = acc[c] + t * q;
                stats.Local.Observe(v);
                if (v > max || v < min)
                {
                    ev.Add(ChipEvent.LocalOverflow, 1);
                    v = _trimla.Resolve(v, _trimla.LocalBits, () => $"local accumulator, {where()}, column {c}, token lane {l}");
                }
                acc[c] = v;
            }
        }
    }

    private void FlushGroup(long[] local, long[] global, int cols, EventCounts ev, MatrixStats stats, Func<int, int, string> where)
    {
        long max = _trimla.GlobalMax, min = -max - 1;
        for (int i = 0; i < local.Length; i++)
        {
            long v = global[i] + local[i];
            local[i] = 0;
            stats.Global.Observe(v);
            if (v > max || v < min)
            {
                ev.Add(ChipEvent.GlobalOverflow, 1);
                int at = i;
                v = _trimla.Resolve(v, _trimla.GlobalBits, () => $"global accumulator, {where(at % cols, at / cols)}");
            }
            global[i] = v;
        }
        ev.Add(ChipEvent.GlobalAdd, local.Length);
    }

    private string Where(CompiledMatrix m, int macro, Direction d, int input, int row)
    {
        int group = row / _trimla.GroupRows;
        int first = group * _trimla.GroupRows;
        return $"matrix '{m.Mapping.Shape.Name}', macro {macro}, plane {d}, row group {group} (word lines {first}..{Math.Min(first + _trimla.GroupRows, m.Image.Mapping.ArrayRows) - 1}, inputs from {input + first})";
    }
}
