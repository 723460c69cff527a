namespace BitRom.Hardware.Components;

/// <summary>One LoRA module as the LoRA unit sees it: K inputs, N outputs, rank r (A [K, r], B [r, N]).</summary>
public readonly record struct LoraModuleShape(int K, int N, int Rank);

/// <summary>
/// The LoRA unit: adapter SRAM plus MACs (DESIGN.md §5.7). Its ROM-free datapath computes h = x̂·Â (8-bit x times
/// 6-bit A) and Δy = h·B̂ (the float rank-r h times 6-bit B; h is not re-quantized, PAPER-NOTES.md §6).
/// Parameters: weight and activation bits (6 and 8 by default, the authors' W6A8) and the stored scale size.
/// </summary>
public sealed record LoraUnitConfig
{
    /// <summary>Bits per stored A/B weight (6 in W6A8; 2 for ternary A/B; 16 for a bf16 adapter).</summary>
    public int WeightBits { get; init; } = 6;
    /// <summary>Bits of the quantized LoRA input x (8).</summary>
    public int ActivationBits { get; init; } = 8;
    /// <summary>Bytes per per-tensor scale stored with A and with B: one float32 [model choice].</summary>
    public int ScaleBytes { get; init; } = 4;

    /// <summary>Throws naming the first offending field.</summary>
    public LoraUnitConfig Validate()
    {
        if (WeightBits is < 1 or > 32) throw new ArgumentException($"LoRA unit: WeightBits = {WeightBits} must be 1..32");
        if (ActivationBits is < 1 or > 32) throw new ArgumentException($"LoRA unit: ActivationBits = {ActivationBits} must be 1..32");
        if (ScaleBytes < 0) throw new ArgumentException($"LoRA unit: ScaleBytes = {ScaleBytes} must be >= 0");
        return this;
    }
}

/// <summary>LoRA unit counts for one adapter (actions and sizes, never joules, STYLE.md §2.4).</summary>
/// <param name="Modules">Modules in the adapter.</param>
/// <param name="Parameters">A and B weights: Σ K·r + r·N.</param>
/// <param name="AdapterSramBits">Storage bits: weights at WeightBits plus the per-tensor scales (the area input).</param>
/// <param name="AdapterSramBytes">Storage bytes (bits rounded up per tensor to whole bytes).</param>
/// <param name="AdapterLoadBytes">DRAM bytes to load the adapter once (= its SRAM bytes).</param>
/// <param name="XaMacsPerToken">x̂·Â MACs per token (6-bit weight × 8-bit activation): Σ K·r.</param>
/// <param name="HbMacsPerToken">h·B̂ MACs per token (6-bit weight × float h): Σ r·N.</param>
public sealed record LoraUnitCounts(int Modules, long Parameters, long AdapterSramBits, long AdapterSramBytes, long AdapterLoadBytes, long XaMacsPerToken, long HbMacsPerToken)
{
    /// <summary>All LoRA MACs per token.</summary>
    public long MacsPerToken => XaMacsPerToken + HbMacsPerToken;
}

/// <summary>Counts of the LoRA unit for an adapter's module shapes.</summary>
public static class LoraUnit
{
    /// <summary>Counts for <paramref name="modules"/> under <paramref name="config"/>.</summary>
    public static LoraUnitCounts Count(IEnumerable<LoraModuleShape> modules, LoraUnitConfig config)
    {
        config.Validate();
        int count = 0;
        long parameters = 0, bits = 0, bytes = 0, xa = 0, hb = 0;
        foreach (LoraModuleShape m in modules)
        {
            if (m.K <= 0 || m.N <= 0 || m.Rank <= 0) throw new ArgumentException($"LoRA module shape K {m.K}, N {m.N}, rank {m.Rank} must be positive");
            long a = (long)m.K * m.Rank, b = (long)m.Rank * m.N;
            count++;
            parameters += a + b;
            bits += (a + b) * config.WeightBits + 2L * config.ScaleBytes * 8;
            bytes += (a * config.WeightBits + 7) / 8 + (b * config.WeightBits + 7) / 8 + 2L * config.ScaleBytes;
            xa += a;
            hb += b;
        }
        return new LoraUnitCounts(count, parameters, bits, bytes, bytes, xa, hb);
    }
}
