using BitRom.Hardware.Components;
using BitRom.Hardware.Tables;

namespace BitRom.Hardware.Cost;

/// <summary>
/// Composes the analytic counter, the energy, area and latency models and the KV placement into a
/// <see cref="ChipCost"/>: counting, then costing (STYLE.md §2.4.1). Pure; no I/O.
/// </summary>
public static partial class ChipEvaluator
{
    /// <summary>Evaluates <paramref name="shape"/> on <paramref name="arch"/> for <paramref name="workload"/>.</summary>
    public static ChipCost Evaluate(ModelShape shape, ChipArchitecture arch, Workload workload, TechnologyTable? tech = null, double calibration = 1.0)
    {
        shape.Validate();
        arch.Validate();
        workload.Validate();
        tech ??= TechnologyLoader.Load(arch.NodeNm);
        if (tech.NodeNm != arch.NodeNm) throw new ArgumentException($"technology table is {tech.NodeNm} nm but the chip asks for {arch.NodeNm} nm");
        EnergyTable table = EnergyTable.Derive(tech, arch, calibration);
        var maps = AnalyticCounter.Map(shape, arch);
        LayerTokenCounts layer = AnalyticCounter.Layer(shape, arch, maps);
        AreaBreakdown area = AreaModel.Evaluate(arch, Contents(shape, arch, maps), tech);
        var ctx = new Context(shape, arch, tech, table, maps, layer, area, workload);

        PhaseCost prefill = Phase(ctx, "prefill", 0, workload.PromptLen);
        PhaseCost decode = Phase(ctx, "decode", workload.PromptLen, workload.GenLen);
        var refresh = Refresh(ctx, decode);
        // The same request on the same chip without DR eDRAM: the baseline of the −43.6 % claim.
        double without = arch.EdramBytes > 0
            ? DecodeDramBytes(ctx with { Arch = arch with { EdramBytes = 0 } }, workload.PromptLen, workload.GenLen)
            : decode.DramTotalBytes;
        double loraLoad = arch.LoraRank > 0 ? LoraBits(shape, arch) / 8 : 0;
        ChipMetrics metrics = Metrics(ctx, prefill, decode, without);
        return new ChipCost(shape, arch, workload, table, maps, area, prefill, decode, refresh, metrics, loraLoad, without);
    }

    /// <summary>Everything a phase computation needs.</summary>
    private sealed record Context(ModelShape Shape, ChipArchitecture Arch, TechnologyTable Tech, EnergyTable Table, IReadOnlyList<MacroAllocation> Maps,
        LayerTokenCounts Layer, AreaBreakdown Area, Workload Workload)
    {
        public int MaxContext => Workload.PromptLen + Workload.GenLen;
        public Components.DrEdramLayout Layout { get; } = KvPlacement.Layout(Shape, Arch, Workload.PromptLen + Workload.GenLen);
        public double ClockHz => Arch.ClockMHz * 1e6;
        public double DramBytesPerCycle => Tech.Value("dram", Arch.DramType + ".gbytes_per_s") * 1e9 / ClockHz;
    }

    /// <summary>Adapter bits on chip: r·(K+N) weights per target matrix per layer at the LoRA weight width.</summary>
    public static double LoraBits(ModelShape shape, ChipArchitecture arch) =>
        shape.Layers * shape.Matrices.Where(m => m.Name is "v_proj" or "o_proj" or "down_proj").Sum(m => (double)arch.LoraRank * (m.In + m.Out)) * arch.LoraWeightBits;

    private static ChipContents Contents(ModelShape shape, ChipArchitecture arch, IReadOnlyList<MacroAllocation> maps)
    {
        long macros = arch.StreamWeightsFromDram ? 0 : shape.Layers * maps.Sum(m => m.Macros);
        double vd = (double)shape.Vocab * shape.Dim * (shape.TiedEmbeddings ? 1 : 2);
        double headRom = arch.Head == HeadPlacement.RomInt8 ? vd * 4 : 0;       // 8-bit weight = 4 transistors (DESIGN.md §5.1)
        double headSram = arch.Head == HeadPlacement.Sram ? vd * 16 : 0;
        double tree = maps.GroupBy(m => m.Matrix.Stage).Max(g => g.Sum(m => (double)m.Matrix.Out * (m.MacrosIn - 1)));
        double lora = arch.LoraRank > 0 ? LoraBits(shape, arch) : 0;
        return new ChipContents(macros, headRom, headSram, lora, tree, arch.GlobalBits + 4);
    }

    /// <summary>Counts, energy and time of <paramref name="tokens"/> steps starting with <paramref name="firstPrior"/> cached tokens.</summary>
    private static PhaseCost Phase(Context c, string name, int firstPrior, int tokens)
    {
        ModelShape s = c.Shape;
        ChipArchitecture a = c.Arch;
        bool prefill = name == "prefill";
        double readShare = prefill ? 1.0 / a.TokensPerRead : 1.0;
        var counts = new ActionCounts();
        // ternary matrices: ROM reads shared by tokens_per_read prefill tokens; TriMLA and the rest per token
        ActionCounts reads = a.StreamWeightsFromDram ? StreamedReads(s, a) : c.Layer.Reads;
        counts.Add(reads, s.Layers * tokens * readShare);
        counts.Add(c.Layer.Compute, s.Layers * (double)tokens);
        counts.Add(c.Layer.VectorBase, s.Layers * (double)tokens);
        double contextSum = tokens * (firstPrior + 1.0) + tokens * (tokens - 1.0) / 2;  // Σ (prior + 1) over the steps
        counts.Add(c.Layer.VectorPerContext, s.Layers * contextSum);
        counts.Add(AnalyticCounter.Embedding(s, a), tokens);
        counts.Add(AnalyticCounter.Head(s, a), prefill ? 1 : tokens);   // prefill needs the logits of its last token only

        KvStepBytes kv = KvPlacement.Phase(s, a, firstPrior, tokens, c.MaxContext);
        counts.Add("edram", "read_bit", kv.EdramReadBytes * 8);
        counts.Add("edram", "write_bit", kv.EdramWriteBytes * 8);
        counts.Add("dram", "bit", (kv.DramReadBytes + kv.DramWriteBytes) * 8);

        double cycles = 0;
        BlockTerms terms = Terms(c, prefill);
        for (int i = 0; i < tokens; i++) cycles += TokenCycles(c, terms, firstPrior + i, i == tokens - 1 || !prefill);
        double seconds = cycles / c.ClockHz;
        // refresh when the token period exceeds t_ret (decode refresh fails): rows not read within t_ret
        double period = seconds / tokens, tRet = a.TRetMs * 1e-3;
        if (period >= tRet && a.EdramBytes > 0)
            counts.Add("edram", "refresh_bit", kv.EdramReadBytes * 8 * (Math.Ceiling(period / tRet) - 1));

        EnergyBreakdown energy = EnergyModel.Evaluate(counts, c.Table, c.Area.StaticMicroWatts, seconds);
        var dram = DramCategories(s, a, kv, tokens, prefill);
        double ternaryOps = 2.0 * s.TernaryWeights * tokens;
        double allOps = ternaryOps + 2.0 * (double)s.Vocab * s.Dim * (prefill ? 1 : tokens) + 2.0 * counts["attention", "mac"];
        return new PhaseCost(name, tokens, counts, energy, cycles, seconds, kv, dram, ternaryOps, allOps);
    }

    private static Dictionary<string, double> DramCategories(ModelShape s, ChipArchitecture a, KvStepBytes kv, int tokens, bool prefill)
    {
        double vd = (double)s.Vocab * s.Dim;
        return new Dictionary<string, double>
        {
            ["kv_read"] = kv.DramReadBytes,
            ["kv_write"] = kv.DramWriteBytes,
            ["lm_head"] = a.Head == HeadPlacement.Dram ? vd * 2 * (prefill ? 1 : tokens) : 0,
            ["embedding"] = a.Head == HeadPlacement.Dram ? s.Dim * 2.0 * tokens : 0,
            ["weights"] = a.StreamWeightsFromDram ? s.TernaryWeights * 2.0 / 8 * tokens / (prefill ? a.TokensPerRead : 1) : 0,
        };
    }

    /// <summary>Decode-phase DRAM bytes (all categories) of a chip, for the with/without-eDRAM comparison.</summary>
    private static double DecodeDramBytes(Context c, int prompt, int gen)
    {
        KvStepBytes kv = KvPlacement.Phase(c.Shape, c.Arch, prompt, gen, c.MaxContext);
        return DramCategories(c.Shape, c.Arch, kv, gen, prefill: false).Values.Sum();
    }

    /// <summary>SRAM-CIM/NPU baseline: every weight (2 b) comes from DRAM, is written to the SRAM-CIM array and read once per token.</summary>
    private static ActionCounts StreamedReads(ModelShape s, ChipArchitecture a)
    {
        double bits = 2.0 * s.TernaryWeights / s.Layers;
        return new ActionCounts().Add("dram", "bit", bits).Add("sram", "write_bit", bits).Add("sram", "read_bit", bits);
    }
}
