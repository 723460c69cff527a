using BitRom.Hardware.Components;
namespace BitRom.Hardware.Cost;

/// <summary>Cost of one phase (prefill or decode) of a request.</summary>
public sealed record PhaseCost(string Phase, int Tokens, ActionCounts Counts, EnergyBreakdown Energy, double Cycles, double Seconds,
    KvStepBytes Kv, IReadOnlyDictionary<string, double> DramBytes, double TernaryOps, double AllOps)
{
    /// <summary>Energy per token, pJ (dynamic + static).</summary>
    public double EnergyPerTokenPj => Energy.TotalPicoJoules / Tokens;

    /// <summary>Latency per token, s.</summary>
    public double LatencyPerTokenSeconds => Seconds / Tokens;

    /// <summary>Tokens per second.</summary>
    public double TokensPerSecond => Tokens / Seconds;

    /// <summary>External DRAM bytes of all categories.</summary>
    public double DramTotalBytes => DramBytes.Values.Sum();
}

/// <summary>DR eDRAM refresh accounting (DESIGN.md §5.6).</summary>
public sealed record RefreshStats(double TokenPeriodSeconds, double TRetSeconds, bool DecodeRefreshHolds, double RefreshBitsAvoided, double RefreshBitsIssued);

/// <summary>One point of a roofline: arithmetic intensity (ops per DRAM byte) and achieved performance.</summary>
public sealed record RooflinePoint(string Label, double OpsPerByte, double Tops);

/// <summary>Headline metrics (DESIGN.md §5.8), every unit in the name.</summary>
public sealed record ChipMetrics
{
    /// <summary>Macro-level TOPS/W: ternary ops (2 per MAC, zeros included) / (BiROMA + TriMLA dynamic energy), decode.</summary>
    public double MacroTopsPerWatt { get; init; }
    /// <summary>Macro-level TOPS/W counting only non-zero MACs.</summary>
    public double MacroEffectiveTopsPerWatt { get; init; }
    /// <summary>System-level TOPS/W: all ops (ternary, head, attention) / all energy incl. static and DRAM, decode.</summary>
    public double SystemTopsPerWatt { get; init; }
    /// <summary>Decode throughput per area, TOPS/mm².</summary>
    public double TopsPerMm2 { get; init; }
    /// <summary>Array density from the cell model, kB/mm² (2 b per trit storage convention).</summary>
    public double ArrayDensityKBPerMm2 { get; init; }
    /// <summary>Array density, kb/mm².</summary>
    public double ArrayDensityKbPerMm2 { get; init; }
    /// <summary>Array density at log2(3) = 1.585 information bits per trit, kB/mm².</summary>
    public double ArrayDensityInfoKBPerMm2 { get; init; }
    /// <summary>Macro density (array + sense + WL + TriMLA), kB/mm².</summary>
    public double MacroDensityKBPerMm2 { get; init; }
    /// <summary>Ternary weights (2 b each) / whole chip area, kB/mm².</summary>
    public double ChipDensityKBPerMm2 { get; init; }
    /// <summary>Decode DRAM bytes with this chip / the same chip without DR eDRAM, minus one (negative = saving).</summary>
    public double DecodeDramChange { get; init; }
    /// <summary>Static share of decode energy.</summary>
    public double DecodeStaticShare { get; init; }
    /// <summary>Peak throughput roof, TOPS (widest stage's columns, 2 ops per MAC, at the clock).</summary>
    public double PeakTops { get; init; }
    /// <summary>DRAM bandwidth roof, GB/s.</summary>
    public double DramGBytesPerSecond { get; init; }
    /// <summary>Roofline points for prefill and decode.</summary>
    public IReadOnlyList<RooflinePoint> Roofline { get; init; } = [];
}

/// <summary>Everything the cost model says about one (model, chip, workload): what reports print.</summary>
public sealed record ChipCost(
    ModelShape Shape, ChipArchitecture Arch, Workload Workload, EnergyTable Table, IReadOnlyList<MacroAllocation> Mappings,
    AreaBreakdown Area, PhaseCost Prefill, PhaseCost Decode, RefreshStats Refresh, ChipMetrics Metrics, double LoraLoadBytes,
    double DecodeDramBytesWithoutEdram)
{
    /// <summary>Conventions printed beside every density and TOPS figure.</summary>
    public const string Conventions = "1 ternary MAC = 2 ops, zeros included (effective ops exclude zeros); density stores 2 b per trit, "
        + "2 trits per BiROMA transistor; kB = 1000 bytes, kb = 1000 bits; information-content density uses log2(3) = 1.585 b per trit";
}
