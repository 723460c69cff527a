using BitRom.Hardware.Components;
using BitRom.Hardware.Tables;

namespace BitRom.Hardware.Cost;

/// <summary>One claim of the paper beside ours (DESIGN.md §5.9). Ratio = ours / paper; the tolerance is documented per row.</summary>
public sealed record PaperRow(string Claim, string PaperText, double Paper, double Ours, string Unit, double ToleranceLow, double ToleranceHigh, string Explanation)
{
    /// <summary>Ours / paper.</summary>
    public double Ratio => Ours / Paper;

    /// <summary>True when the ratio is inside the documented tolerance band.</summary>
    public bool WithinTolerance => Ratio >= ToleranceLow && Ratio <= ToleranceHigh;
}

/// <summary>The inputs of <c>reproduce</c>: which models and which request (the paper does not state them; we print ours).</summary>
public sealed record PaperScenario(ModelShape EfficiencyModel, ModelShape DramModel, Workload DramWorkload, ChipArchitecture Chip, ModelShape Llama7B)
{
    /// <summary>
    /// The DRAM scenario is ours: the paper gives neither model nor lengths (PAPER-NOTES.md §5). Falcon3-1B is the
    /// authors' evaluation base model (eval/general_causal_llm_generation.py); INT8 KV; 2 MiB recent-window eDRAM.
    /// </summary>
    public static ChipArchitecture DramChip(ChipArchitecture chip) => chip with { KvBits = 8, EdramBytes = 2L << 20, Policy = KvPlacementPolicy.Recent };
}

/// <summary>Computes the five rows of DESIGN.md §5.9 with the cost model; nothing is tuned to the paper.</summary>
public static class PaperReproduction
{
    /// <summary>Documented tolerance bands (ours / paper), with why each is as wide as it is.</summary>
    public static class Tolerance
    {
        /// <summary>TOPS/W: the paper's VDD, BL scheme and activity are unknown and most per-action energies are placeholders or Horowitz-scaled; a factor 2.5 either way.</summary>
        public const double TopsPerWattLow = 0.4, TopsPerWattHigh = 2.5;
        /// <summary>Density: the cell model is geometric (DESIGN.md §5.8); ±10 % covers typical 65 nm pitch spread.</summary>
        public const double DensityLow = 0.9, DensityHigh = 1.1;
        /// <summary>10× vs the cited prior density: ±25 % (our density's ±10 % and the prior's unit reading).</summary>
        public const double PriorLow = 0.75, PriorHigh = 1.25;
        /// <summary>DRAM reduction: ±25 %: model, lengths and eDRAM capacity are our choice (the paper states none).</summary>
        public const double DramLow = 0.75, DramHigh = 1.25;
        /// <summary>LLaMA-7B area is a lower-bound claim ("> 1,000 cm²"); we accept ours within a factor 10 below to 10 above and explain the gap.</summary>
        public const double LlamaLow = 0.1, LlamaHigh = 10;
    }

    /// <summary>The rows; each also carries a one-line explanation of what drives any gap.</summary>
    public static IReadOnlyList<PaperRow> Evaluate(PaperScenario s)
    {
        TechnologyTable tech = TechnologyLoader.Load(s.Chip.NodeNm);
        var rows = new List<PaperRow>();
        ChipCost eff = ChipEvaluator.Evaluate(s.EfficiencyModel, s.Chip, new Workload(128, 128), tech);
        ChipMetrics m = eff.Metrics;
        double vdd = tech.Value("tech", "vdd");
        double blShare = eff.Decode.Energy.Lines.Where(l => l.Action.StartsWith("sense_", StringComparison.Ordinal)).Sum(l => l.PicoJoules)
            / eff.Decode.Energy.DynamicOf("biroma", "trimla");
        rows.Add(new PaperRow("energy efficiency (macro-level)", "20.8 TOPS/W", 20.8, m.MacroTopsPerWatt, "TOPS/W", Tolerance.TopsPerWattLow, Tolerance.TopsPerWattHigh,
            $"{s.EfficiencyModel.Name}, int8 activations, zero fraction {s.EfficiencyModel.ZeroFraction:F2}, VDD {vdd} V, BL precharged to VDD: BL+sense are {blShare:P0} of macro energy; the paper's VDD/BL swing are unknown (effective-ops: {m.MacroEffectiveTopsPerWatt:F1})"));

        rows.Add(new PaperRow("bit density (array)", "4,967 kB/mm²", 4967, m.ArrayDensityKBPerMm2, "kB/mm²", Tolerance.DensityLow, Tolerance.DensityHigh,
            $"cell 2·M1 pitch × CPP = {eff.Area.CellSquareMicrons:F3} µm², 2 trits × 2 b; = {m.ArrayDensityKbPerMm2:N0} kb/mm², {m.ArrayDensityInfoKBPerMm2:N0} kB/mm² at 1.585 b/trit; macro incl. TriMLA {m.MacroDensityKBPerMm2:N0} kB/mm²"));

        PublishedDesign prior = PublishedDesigns.Get("1T-MLC");
        ChipCost conv = ChipEvaluator.Evaluate(s.EfficiencyModel, Baselines.ConventionalCiRom(s.Chip), new Workload(128, 128), tech);
        double convRatio = m.ArrayDensityKBPerMm2 / conv.Metrics.ArrayDensityKBPerMm2;
        rows.Add(new PaperRow("density vs prior CiROM", "10×", 10, m.ArrayDensityKBPerMm2 / prior.DensityKBPerMm2, "×", Tolerance.PriorLow, Tolerance.PriorHigh,
            $"vs {prior.Name} {prior.Density:N0} {prior.DensityUnit} = {prior.DensityKBPerMm2:N0} kB/mm² (cited, an analog MLC macro incl. periphery); vs a same-cell-rule 1-bit/transistor CiROM {convRatio:F1}× (array: 2 trits × 2 b vs 1 b per cell), the other {m.ArrayDensityKBPerMm2 / prior.DensityKBPerMm2 / convRatio:F1}× is our array-only cell model vs a whole macro"));

        ChipArchitecture dramChip = PaperScenario.DramChip(s.Chip);
        ChipCost dram = ChipEvaluator.Evaluate(s.DramModel, dramChip, s.DramWorkload, tech);
        long window = KvPlacement.WindowTokens(s.DramModel, dramChip);
        rows.Add(new PaperRow("external DRAM access (decode)", "−43.6 %", -43.6, dram.Metrics.DecodeDramChange * 100, "%", Tolerance.DramLow, Tolerance.DramHigh,
            $"scenario (ours; the paper states none): {s.DramModel.Name}, prompt {s.DramWorkload.PromptLen}, gen {s.DramWorkload.GenLen}, eDRAM {dramChip.EdramBytes >> 10} KiB {dramChip.Policy.ToString().ToLowerInvariant()} (= {window} tokens), KV int{dramChip.KvBits}, lm_head {dramChip.Head}; the saving is ≈ window / mean context, so the agreement reflects these chosen lengths, not a validation (curve in the report)"));

        double llamaParams = s.Llama7B.TernaryWeights + (double)s.Llama7B.Vocab * s.Llama7B.Dim * (s.Llama7B.TiedEmbeddings ? 1 : 2);
        double convDensityBitsPerMm2 = conv.Metrics.MacroDensityKBPerMm2 * 8000;
        double llamaCm2 = llamaParams * 8 / convDensityBitsPerMm2 / 100;
        double priorCm2 = llamaParams * 8 / (prior.DensityKBPerMm2 * 8000) / 100;
        double kbReading = llamaParams * 8 / (4967.0 / 10 * 1000) / 100;
        rows.Add(new PaperRow("LLaMA-7B in a conventional CiROM", "> 1,000 cm²", 1000, llamaCm2, "cm²", Tolerance.LlamaLow, Tolerance.LlamaHigh,
            $"{llamaParams / 1e9:F2} B weights × 8 b at our conventional macro density {conv.Metrics.MacroDensityKBPerMm2:N0} kB/mm²; at the cited prior density {priorCm2:N0} cm²; > 1,000 cm² only if the prior density is ~497 kb/mm² (4,967/10 read as kb): {kbReading:N0} cm²"));
        return rows;
    }
}
