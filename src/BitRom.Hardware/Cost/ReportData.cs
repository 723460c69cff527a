using BitRom.Hardware.Components;

namespace BitRom.Hardware.Cost;

/// <summary>One row of <c>per_layer.csv</c>: a matrix of a block, per decode token.</summary>
public sealed record MatrixRow(int Layer, string Matrix, int Out, int In, PlaneAssignment Assignment, int MacrosIn, int MacrosOut, long Macros,
    long CyclesPerToken, double Utilization, double TernaryOpsPerToken, double EnergyPerTokenPj, double EdramKvBytesPerToken, double DramKvBytesPerToken);

/// <summary>One point of the KV-traffic-vs-context curve: decode DRAM bytes per token with and without the DR eDRAM.</summary>
public sealed record ContextPoint(int Context, double DramBytesWithEdram, double DramBytesWithoutEdram, double EdramBytes);

/// <summary>Derived tables for reports, computed here so reports only format (STYLE.md §2.8).</summary>
public static class ReportData
{
    /// <summary>Per layer and matrix: mapping, cycles, ternary ops and decode energy per token; KV bytes of the layer's mean decode step.</summary>
    public static IReadOnlyList<MatrixRow> PerLayer(ChipCost cost)
    {
        var rows = new List<MatrixRow>();
        ModelShape s = cost.Shape;
        double steps = cost.Decode.Tokens;
        int maxCtx = cost.Workload.PromptLen + cost.Workload.GenLen;
        int onDieLayers = cost.Arch.Policy == KvPlacementPolicy.Layers ? KvPlacement.OnDieLayers(s, cost.Arch, maxCtx) : -1;
        foreach (MacroAllocation mm in cost.Mappings)
        {
            var reads = new ActionCounts();
            var compute = new ActionCounts();
            if (!cost.Arch.StreamWeightsFromDram) AnalyticCounter.AddMatrix(reads, compute, mm, cost.Arch, s.ZeroFraction);
            double pj = EnergyModel.Evaluate(reads.Add(compute), cost.Table).DynamicPicoJoules;
            for (int layer = 0; layer < s.Layers; layer++)
            {
                double edram = cost.Decode.Kv.EdramReadBytes + cost.Decode.Kv.EdramWriteBytes, dram = cost.Decode.Kv.DramReadBytes + cost.Decode.Kv.DramWriteBytes;
                double e = edram / s.Layers, d = dram / s.Layers;
                if (onDieLayers >= 0)
                {
                    double total = (edram + dram) / s.Layers;
                    (e, d) = layer < onDieLayers ? (total, 0.0) : (0.0, total);
                }
                bool kvRow = mm.Matrix.Name == "v_proj";   // the layer's KV traffic is printed once, on its v_proj row
                rows.Add(new MatrixRow(layer, mm.Matrix.Name, mm.Matrix.Out, mm.Matrix.In, mm.Assignment, mm.MacrosIn, mm.MacrosOut, mm.Macros,
                    mm.CyclesPerToken, mm.Utilization(cost.Arch), 2.0 * mm.Matrix.Out * mm.Matrix.In, pj,
                    kvRow ? e / steps : 0, kvRow ? d / steps : 0));
            }
        }
        return rows.OrderBy(r => r.Layer).ToList();
    }

    /// <summary>Decode DRAM bytes per token at each context length, with the chip's eDRAM and without any.</summary>
    public static IReadOnlyList<ContextPoint> ContextCurve(ModelShape shape, ChipArchitecture arch, IEnumerable<int> contexts)
    {
        var none = arch with { EdramBytes = 0 };
        return contexts.Select(ctx =>
        {
            KvStepBytes with = KvPlacement.Step(shape, arch, ctx - 1, ctx), without = KvPlacement.Step(shape, none, ctx - 1, ctx);
            return new ContextPoint(ctx, with.DramReadBytes + with.DramWriteBytes, without.DramReadBytes + without.DramWriteBytes, with.EdramReadBytes + with.EdramWriteBytes);
        }).ToList();
    }

    /// <summary>Context lengths for the curve: powers of two from 16 up to <paramref name="max"/>, plus <paramref name="max"/>.</summary>
    public static IReadOnlyList<int> ContextGrid(int max)
    {
        var list = new List<int>();
        for (int c = 16; c < max; c *= 2) list.Add(c);
        list.Add(max);
        return list;
    }
}
