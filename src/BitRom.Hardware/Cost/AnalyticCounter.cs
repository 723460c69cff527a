namespace BitRom.Hardware.Cost;

/// <summary>
/// Action counts of one transformer block for one token, split by what scales how: ROM reads (shared by
/// <see cref="ChipArchitecture.TokensPerRead"/> prefill tokens), per-token compute, and the context-dependent
/// vector/attention work as base + slope·context.
/// </summary>
public sealed record LayerTokenCounts(ActionCounts Reads, ActionCounts Compute, ActionCounts VectorBase, ActionCounts VectorPerContext);

/// <summary>
/// Analytic workload counter (DESIGN.md §5.3-5.5): the counts a cycle simulation of the mapped macros would
/// record, computed in closed form from the model shape and an expected zero fraction. This is the fast path
/// that makes a 10B report sub-second; the chip backend's simulated counts must agree with it.
/// </summary>
public static class AnalyticCounter
{
    /// <summary>Maps every ternary matrix of one block.</summary>
    public static IReadOnlyList<MacroAllocation> Map(ModelShape shape, ChipArchitecture arch) =>
        shape.Matrices.Select(m => MacroAllocation.Map(m, arch)).ToList();

    /// <summary>Counts of one block for one token (DESIGN.md §5.4-5.5, vector work per §5.1 [model choice]).</summary>
    public static LayerTokenCounts Layer(ModelShape shape, ChipArchitecture arch, IReadOnlyList<MacroAllocation> maps)
    {
        var reads = new ActionCounts();
        var compute = new ActionCounts();
        double z = shape.ZeroFraction;
        foreach (MacroAllocation mm in maps) AddMatrix(reads, compute, mm, arch, z);
        if (arch.LoraRank > 0)
        {
            // W6A8 adapters on v_proj, o_proj, down_proj (PAPER-NOTES.md §6): r·(K+N) MACs and weight reads per token.
            foreach (MacroAllocation mm in maps.Where(m => m.Matrix.Name is "v_proj" or "o_proj" or "down_proj"))
            {
                double macs = (double)arch.LoraRank * (mm.Matrix.In + mm.Matrix.Out);
                compute.Add("lora", "mac", macs);
                compute.Add("sram", "read_bit", macs * arch.LoraWeightBits);
            }
        }

        // Digital vector unit, per token: RMSNorm 4 ops/element (square, accumulate, scale, weight), the activation
        // quantizer 3 ops/element of each BitLinear input (abs-max, scale, round), dequantisation 1 op per output,
        // RoPE 3 ops per q/k element, SwiGLU 5 ops per FFN element, 2 residual adds per model element.
        int d = shape.Dim, q = shape.QDim, kv = shape.KvDim, f = shape.HiddenDim;
        double norms = 2.0 * d * 4 + (shape.SubNorms ? (q + f) * 4.0 : 0);
        double quant = (d + q + d + f) * 3.0;
        double dequant = q + 2.0 * kv + d + 2.0 * f + d;
        double ops = norms + quant + dequant + (q + kv) * 3.0 + f * 5.0 + 2.0 * d;
        var vBase = new ActionCounts().Add("vector_unit", "op", ops);
        // Attention per context position: q·k and p·v MACs per head, and softmax 4 ops per score (max, exp, sum, divide).
        var vCtx = new ActionCounts().Add("attention", "mac", 2.0 * shape.Heads * shape.HeadDim).Add("vector_unit", "op", 4.0 * shape.Heads);
        return new LayerTokenCounts(reads, compute, vBase, vCtx);
    }

    /// <summary>
    /// Counts of one matrix for one token (DESIGN.md §5.4-5.5), as the compiled chip records them: every block is a
    /// whole R × C plane read once per token (padding cells sense as '0' and idle); the trit split is the expected one.
    /// </summary>
    public static void AddMatrix(ActionCounts reads, ActionCounts compute, MacroAllocation mm, ChipArchitecture arch, double zeroFraction)
    {
        LayerMatrix m = mm.Matrix;
        int r = arch.Rows;
        double real = (double)m.In * m.Out;
        // word lines read per output block: all input rows, or whole planes; local groups closed per column likewise
        double rowsRead = 0, groups = 0;
        for (int ib = 0; ib < mm.InputBlocks; ib++)
        {
            int rowsOfBlock = arch.SkipPaddedRows ? Math.Min(r, m.In - ib * r) : r;
            rowsRead += rowsOfBlock;
            groups += Math.Ceiling((double)rowsOfBlock / arch.GroupRows);
        }
        double wl = rowsRead * mm.OutputBlocks;
        double cells = wl * arch.Cols;                                   // every column of a read row is sensed
        double pad = cells - real / Math.Min(1, arch.TritsPerTransistor);
        if (arch.TritsPerTransistor < 2)
        {
            reads.Add("biroma", "bit_read", cells);
        }
        else
        {
            reads.Add("biroma", "sense_zero", real * zeroFraction + pad);
            reads.Add("biroma", "sense_pos", real * (1 - zeroFraction) / 2);
            reads.Add("biroma", "sense_neg", real * (1 - zeroFraction) / 2);
        }
        reads.Add("biroma", "wl", wl);
        // TriMLA: +1 adds, -1 subtracts, 0 (and padding) idles; a global add per local group per column per block.
        compute.Add("trimla", "local_add", real * (1 - zeroFraction) / 2);
        compute.Add("trimla", "local_sub", real * (1 - zeroFraction) / 2);
        compute.Add("trimla", "idle", real * zeroFraction + pad);
        compute.Add("trimla", "global_add", groups * mm.OutputBlocks * arch.Cols);
        // the adder tree sums the macros' partial results of every real output
        compute.Add("adder_tree", "add", (double)(mm.MacrosIn - 1) * m.Out);
        // one activation delivered to a macro per word-line read
        compute.Add("broadcast", "bit", wl * arch.ActivationBits);
    }

    /// <summary>The embedding lookup of one token, by placement (DESIGN.md §5.1): one row of Dim weights.</summary>
    public static ActionCounts Embedding(ModelShape shape, ChipArchitecture arch)
    {
        var c = new ActionCounts();
        if (arch.Head == HeadPlacement.RomInt8) c.Add("lm_head", "bit_read", shape.Dim * 8.0);
        else if (arch.Head == HeadPlacement.Dram) c.Add("dram", "bit", shape.Dim * 16.0);
        else c.Add("sram", "read_bit", shape.Dim * 16.0);
        return c;
    }

    /// <summary>lm_head for one token, by placement (DESIGN.md §5.1).</summary>
    public static ActionCounts Head(ModelShape shape, ChipArchitecture arch)
    {
        var c = new ActionCounts();
        double vd = (double)shape.Vocab * shape.Dim;
        // final RMSNorm and the head's activation quantizer
        c.Add("vector_unit", "op", shape.Dim * 7.0);
        switch (arch.Head)
        {
            case HeadPlacement.RomInt8:
                // 8 binary digits per weight read bit-serially; a shift-add per set bit (half, expected), idle otherwise.
                c.Add("lm_head", "bit_read", vd * 8);
                c.Add("lm_head", "shift_add", vd * 8 / 2);
                c.Add("lm_head", "idle", vd * 8 / 2);
                break;
            case HeadPlacement.Dram:
                c.Add("dram", "bit", vd * 16);
                c.Add("vector_unit", "mac", vd);
                break;
            case HeadPlacement.Sram:
                c.Add("sram", "read_bit", vd * 16);
                c.Add("vector_unit", "mac", vd);
                break;
        }
        return c;
    }
}
