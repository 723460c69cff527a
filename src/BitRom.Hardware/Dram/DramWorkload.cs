using BitRom.Hardware.Components;

namespace BitRom.Hardware.Dram;

/// <summary>
/// Where the non-ternary embedding table and lm_head live (DESIGN.md §5.1): in ROM as 8-bit weights (default: no
/// weight is ever reloaded), streamed from DRAM, or loaded once per session into on-chip SRAM.
/// </summary>
public enum WeightPlacement
{
    /// <summary>In mask ROM at 8 bits [model choice, DESIGN.md §5.1]: no DRAM traffic.</summary>
    RomInt8,
    /// <summary>In DRAM: every token fetches its embedding row; every logits computation streams the whole head.</summary>
    Dram,
    /// <summary>In SRAM: loaded from DRAM once per session.</summary>
    Sram,
}

/// <summary>The decoder shapes the DRAM traffic depends on, as plain numbers (Hardware never sees the model).</summary>
public sealed record DecoderTrafficShape
{
    /// <summary>KV-cache shape.</summary>
    public required KvShape Kv { get; init; }
    /// <summary>Model width (embedding row length).</summary>
    public required int Dim { get; init; }
    /// <summary>Vocabulary (rows of the embedding table and of the head).</summary>
    public required int VocabSize { get; init; }
    /// <summary>The head is the embedding table.</summary>
    public required bool TiedEmbeddings { get; init; }
    /// <summary>Bytes per embedding/head element in DRAM or SRAM: 2, bf16 as in the checkpoints (PAPER-NOTES.md §7).</summary>
    public int TableElementBytes { get; init; } = 2;
    /// <summary>Anything else the chip fetches once per session (norm weights, scales), bytes; default 0.</summary>
    public long OtherBytesPerSession { get; init; }

    /// <summary>Bytes of the embedding table (and of an untied head).</summary>
    public long TableBytes => (long)VocabSize * Dim * TableElementBytes;

    /// <summary>Throws naming the first offending field.</summary>
    public DecoderTrafficShape Validate()
    {
        Kv.Validate();
        if (Dim <= 0 || VocabSize <= 0 || TableElementBytes <= 0 || OtherBytesPerSession < 0)
            throw new ArgumentException($"decoder shape: dim {Dim}, vocab {VocabSize}, element bytes {TableElementBytes}, other bytes {OtherBytesPerSession} out of range");
        return this;
    }
}

/// <summary>A workload for the DRAM traffic model: shapes, requests, head placement, LoRA adapter loads.</summary>
public sealed record DramWorkload
{
    /// <summary>Decoder shapes.</summary>
    public required DecoderTrafficShape Shape { get; init; }
    /// <summary>Requests of the session (the KV cache persists across them).</summary>
    public required IReadOnlyList<KvRequest> Requests { get; init; }
    /// <summary>Embedding and head placement (default rom-int8).</summary>
    public WeightPlacement HeadPlacement { get; init; } = WeightPlacement.RomInt8;
    /// <summary>Bytes of one LoRA adapter as stored (see <c>LoraUnit</c>).</summary>
    public long AdapterBytes { get; init; }
    /// <summary>Adapter loads over the session (each reads <see cref="AdapterBytes"/> from DRAM before its request).</summary>
    public int AdapterLoads { get; init; }

    /// <summary>Positions written over the session.</summary>
    public int Positions => Requests.Sum(r => r.PromptTokens + r.DecodeSteps);

    /// <summary>Parses a placement name (rom-int8 | dram | sram).</summary>
    public static WeightPlacement ParsePlacement(string name) => name.ToLowerInvariant() switch
    {
        "rom-int8" => WeightPlacement.RomInt8,
        "dram" => WeightPlacement.Dram,
        "sram" => WeightPlacement.Sram,
        _ => throw new ArgumentException($"unknown head placement '{name}'; known: rom-int8, dram, sram"),
    };
}

/// <summary>DRAM bytes of one phase by category; "per token" divides by the phase's tokens.</summary>
public sealed record DramPhaseTraffic(long Tokens, long KvReadBytes, long KvWriteBytes, long LmHeadBytes, long EmbeddingBytes, long AdapterLoadBytes, long OtherBytes)
{
    /// <summary>KV reads and writes.</summary>
    public long KvBytes => KvReadBytes + KvWriteBytes;
    /// <summary>Every category.</summary>
    public long TotalBytes => KvBytes + LmHeadBytes + EmbeddingBytes + AdapterLoadBytes + OtherBytes;
    /// <summary>Total bytes per token of the phase (0 without tokens).</summary>
    public double BytesPerToken => Tokens > 0 ? (double)TotalBytes / Tokens : 0;
    /// <summary>KV bytes per token of the phase.</summary>
    public double KvBytesPerToken => Tokens > 0 ? (double)KvBytes / Tokens : 0;
}

/// <summary>DRAM traffic of a session, prefill and decode separately.</summary>
public sealed record DramTraffic(DramPhaseTraffic Prefill, DramPhaseTraffic Decode)
{
    /// <summary>Bytes of both phases.</summary>
    public long TotalBytes => Prefill.TotalBytes + Decode.TotalBytes;
}

/// <summary>The same workload with DR eDRAM and without it (every KV access to DRAM).</summary>
public sealed record DramComparison(DramTraffic WithEdram, DramTraffic Baseline, DrEdramLayout Layout)
{
    /// <summary>Reduction of prefill DRAM bytes, percent.</summary>
    public double PrefillReductionPercent => Reduction(WithEdram.Prefill.TotalBytes, Baseline.Prefill.TotalBytes);
    /// <summary>Reduction of decode DRAM bytes, percent (the paper's −43.6 % is a decode figure, PAPER-NOTES.md §5).</summary>
    public double DecodeReductionPercent => Reduction(WithEdram.Decode.TotalBytes, Baseline.Decode.TotalBytes);
    /// <summary>Reduction of all DRAM bytes, percent.</summary>
    public double TotalReductionPercent => Reduction(WithEdram.TotalBytes, Baseline.TotalBytes);

    /// <summary>100 · (1 − with / without); 0 when the baseline moves nothing.</summary>
    public static double Reduction(double with, double without) => without > 0 ? 100.0 * (1 - with / without) : 0;
}

/// <summary>One point of the curve over context length: a decode token that reads <see cref="ContextLength"/> cached positions.</summary>
public sealed record ContextPoint(int ContextLength, long BaselineBytesPerToken, long EdramBytesPerToken, long KvOnDieBytes, long KvSpilledBytes)
{
    /// <summary>Reduction in percent.</summary>
    public double ReductionPercent => DramComparison.Reduction(EdramBytesPerToken, BaselineBytesPerToken);
}
