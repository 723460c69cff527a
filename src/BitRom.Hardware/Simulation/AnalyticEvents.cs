using BitRom.Hardware.Components;

namespace BitRom.Hardware.Simulation;

/// <summary>
/// Event counts of one ternary product without stepping: the same totals <see cref="MacroSimulator"/> records under
/// ideal sensing and no overflow, from per-block trit counts and the activations (tested equal per event type).
/// </summary>
public static class AnalyticEvents
{
    /// <summary>Adds the events of matrix <paramref name="m"/> applied to <paramref name="q"/> (tokens × K) into <paramref name="ev"/>.</summary>
    public static void Add(CompiledMatrix m, MatrixWeightStats w, ReadOnlySpan<sbyte> q, int tokens, ChipConfig config, EventCounts ev)
    {
        int rows = m.Image.Mapping.ArrayRows, cols = m.Image.Mapping.ArrayCols;
        int n = m.Mapping.Shape.Rows, k = m.Mapping.Shape.Cols;
        long reads = (tokens + config.TokensPerRead - 1) / config.TokensPerRead; // word-line reads per plane row
        for (int b = 0; b < m.Mapping.Blocks.Length; b++)
        {
            int inputStart = b / m.Mapping.OutputBlocks * rows;
            long read = config.SkipPaddedRows ? Math.Min(rows, k - inputStart) : rows;
            long groups = (read + config.GroupRows - 1) / config.GroupRows;
            long plus = w.PlusPerBlock[b], minus = w.MinusPerBlock[b], zero = read * cols - plus - minus;
            bool f = m.Mapping.Blocks[b].Plane == Direction.F;
            ev.Add(f ? ChipEvent.SenseReadFZero : ChipEvent.SenseReadBZero, zero * reads);
            ev.Add(f ? ChipEvent.SenseReadFPlus : ChipEvent.SenseReadBPlus, plus * reads);
            ev.Add(f ? ChipEvent.SenseReadFMinus : ChipEvent.SenseReadBMinus, minus * reads);
            ev.Add(ChipEvent.LocalAdd, plus * tokens);
            ev.Add(ChipEvent.LocalSub, minus * tokens);
            ev.Add(ChipEvent.Idle, zero * tokens);
            ev.Add(ChipEvent.GlobalAdd, groups * cols * tokens);
            ev.Add(ChipEvent.WordLineRead, read * reads);
        }
        for (int ob = 0; ob < m.Mapping.OutputBlocks; ob++)
            ev.Add(ChipEvent.AdderTreeAdd, (long)(m.PartsOf(ob) - 1) * Math.Min(cols, n - ob * cols) * tokens);
        long zeroOperand = 0;
        for (int t = 0; t < tokens; t++)
        {
            ReadOnlySpan<sbyte> qt = q.Slice(t * k, k);
            for (int i = 0; i < k; i++)
                if (qt[i] == 0) zeroOperand += w.NonZeroPerInput[i];
        }
        ev.Add(ChipEvent.ZeroOperandOp, zeroOperand);
        ev.Add(ChipEvent.LatencyCycles, (long)(config.SkipPaddedRows ? m.LatencyValidRows : m.LatencyRows) * reads);
        ev.Add(ChipEvent.TernaryMac, (long)n * k * tokens);
        ev.Add(ChipEvent.MatrixCall, 1);
    }
}
