using BitRom.Hardware.Components;
namespace BitRom.Hardware.Cost;

/// <summary>Latency (DESIGN.md §5.4), refresh accounting and headline metrics.</summary>
public static partial class ChipEvaluator
{
    /// <summary>Cycles of the ternary matrices of one block: per stage, the slowest concurrent matrix plus the adder-tree depth.</summary>
    public static double RomCycles(IReadOnlyList<MacroAllocation> maps, double readShare) =>
        maps.GroupBy(m => m.Matrix.Stage).Sum(g => g.Max(m => m.CyclesPerToken * readShare) + g.Max(m => m.TreeDepth));

    /// <summary>Per-block cycle terms that do not depend on the context (computed once per phase).</summary>
    private readonly record struct BlockTerms(double Rom, double VecBase, double VecPerContext, double AttPerContext, double EdramBitsPerCycle,
        double DramBytesPerCycle, double WeightBytes, double Lora, double Head);

    private static BlockTerms Terms(Context c, bool prefill)
    {
        ChipArchitecture a = c.Arch;
        double vLanes = c.Tech.Value("vector_unit", "lanes"), aLanes = c.Tech.Value("attention", "lanes");
        return new BlockTerms(
            RomCycles(c.Maps, prefill ? 1.0 / a.TokensPerRead : 1.0),
            c.Layer.VectorBase["vector_unit", "op"] / vLanes,
            c.Layer.VectorPerContext["vector_unit", "op"] / vLanes,
            c.Layer.VectorPerContext["attention", "mac"] / aLanes,
            a.EdramBanks * (double)a.EdramBitsPerBankCycle,
            c.DramBytesPerCycle,
            a.StreamWeightsFromDram ? c.Shape.TernaryWeights * 2.0 / 8 / c.Shape.Layers / (prefill ? a.TokensPerRead : 1) : 0,
            a.LoraRank > 0 ? c.Layer.Compute["lora", "mac"] / c.Tech.Value("lora", "lanes") : 0,
            HeadCycles(c));
    }

    /// <summary>
    /// Cycles of one token step with <paramref name="prior"/> cached tokens. Per block: ROM stages (LoRA runs beside
    /// them), then the vector unit, then attention, which waits for the slowest of its MACs, the eDRAM KV read and
    /// the part of the DRAM transfer that could not be prefetched during the block's ROM cycles [model choice].
    /// </summary>
    private static double TokenCycles(Context c, in BlockTerms t, long prior, bool withHead)
    {
        ModelShape s = c.Shape;
        double ctx = prior + 1;
        KvStepBytes kv = KvPlacement.Step(c.Layout, c.Arch, prior);
        double edram = kv.EdramReadBytes * 8 / s.Layers / t.EdramBitsPerCycle;
        double dram = ((kv.DramReadBytes + kv.DramWriteBytes) / s.Layers + t.WeightBytes) / t.DramBytesPerCycle;
        double block = Math.Max(t.Rom, t.Lora) + t.VecBase + t.VecPerContext * ctx
            + Math.Max(t.AttPerContext * ctx, Math.Max(edram, Math.Max(0, dram - t.Rom)));
        return s.Layers * block + (withHead ? t.Head : 0);
    }

    /// <summary>Cycles of the lm_head for one token (DESIGN.md §5.1).</summary>
    private static double HeadCycles(Context c)
    {
        ModelShape s = c.Shape;
        ChipArchitecture a = c.Arch;
        double vd = (double)s.Vocab * s.Dim, vLanes = c.Tech.Value("vector_unit", "lanes");
        switch (a.Head)
        {
            case HeadPlacement.RomInt8:
                // all head macros in parallel; a column holds 2·rows binary digits, an output needs 8·Dim of them
                double digits = 8.0 * s.Dim, perColumn = 2.0 * a.Rows;
                double columnsPerOutput = Math.Ceiling(digits / perColumn);
                return Math.Min(digits, perColumn) + (columnsPerOutput > 1 ? Math.Ceiling(Math.Log2(columnsPerOutput)) : 0);
            case HeadPlacement.Dram:
                return Math.Max(vd / vLanes, vd * 2 / c.DramBytesPerCycle);
            default:
                return vd / vLanes;
        }
    }

    private static RefreshStats Refresh(Context c, PhaseCost decode)
    {
        double period = decode.LatencyPerTokenSeconds, tRet = c.Arch.TRetMs * 1e-3;
        bool holds = period < tRet;
        // A conventional controller would refresh every on-die bit once per t_ret; decode reads do it instead while period < t_ret.
        double onDieBitsRead = decode.Kv.EdramReadBytes * 8;
        double avoided = holds ? onDieBitsRead * (period / tRet) : onDieBitsRead;
        return new RefreshStats(period, tRet, holds, c.Arch.EdramBytes > 0 ? avoided : 0, decode.Counts["edram", "refresh_bit"]);
    }

    private static ChipMetrics Metrics(Context c, PhaseCost prefill, PhaseCost decode, double decodeDramWithout)
    {
        ChipArchitecture a = c.Arch;
        double macroPj = decode.Energy.DynamicOf("biroma", "trimla");
        double bitsPerCell = a.TritsPerTransistor * 2;
        double cell = c.Area.CellSquareMicrons;
        var (array, sense, wl, tri) = AreaModel.Macro(a, c.Tech);
        double arrayBitsPerMm2 = bitsPerCell / cell * 1e6;
        double macroBitsPerMm2 = a.Rows * (double)a.Cols * bitsPerCell / ((array + sense + wl + tri) * 1e-6);
        double areaMm2 = c.Area.TotalSquareMillimetres;
        double peakCols = c.Maps.GroupBy(m => m.Matrix.Stage).Max(g => g.Sum(m => (double)m.MacrosIn * m.MacrosOut * a.Cols));
        double peakTops = 2 * peakCols * c.ClockHz / 1e12;
        RooflinePoint Point(PhaseCost p) => new(p.Phase, p.DramTotalBytes > 0 ? p.AllOps / p.DramTotalBytes : double.PositiveInfinity, p.AllOps / p.Seconds / 1e12);
        return new ChipMetrics
        {
            MacroTopsPerWatt = macroPj > 0 ? decode.TernaryOps / macroPj : 0,
            MacroEffectiveTopsPerWatt = macroPj > 0 ? decode.TernaryOps * (1 - c.Shape.ZeroFraction) / macroPj : 0,
            SystemTopsPerWatt = decode.AllOps / decode.Energy.TotalPicoJoules,
            TopsPerMm2 = decode.AllOps / decode.Seconds / 1e12 / areaMm2,
            ArrayDensityKBPerMm2 = arrayBitsPerMm2 / 8 / 1000,
            ArrayDensityKbPerMm2 = arrayBitsPerMm2 / 1000,
            ArrayDensityInfoKBPerMm2 = arrayBitsPerMm2 * (Math.Log2(3) / 2) / 8 / 1000,
            MacroDensityKBPerMm2 = macroBitsPerMm2 / 8 / 1000,
            ChipDensityKBPerMm2 = c.Shape.TernaryWeights * 2.0 / 8 / 1000 / areaMm2,
            DecodeDramChange = decodeDramWithout > 0 ? decode.DramTotalBytes / decodeDramWithout - 1 : 0,
            DecodeStaticShare = decode.Energy.StaticTotalPicoJoules / decode.Energy.TotalPicoJoules,
            PeakTops = peakTops,
            DramGBytesPerSecond = c.Tech.Value("dram", a.DramType + ".gbytes_per_s"),
            Roofline = [Point(prefill), Point(decode)],
        };
    }
}
