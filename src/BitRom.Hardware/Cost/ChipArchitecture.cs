using BitRom.Hardware.Components;

namespace BitRom.Hardware.Cost;

/// <summary>Where the non-ternary embedding and lm_head live (DESIGN.md §5.1).</summary>
public enum HeadPlacement
{
    /// <summary>In ROM as 8-bit weights, two binary digits per transistor (four transistors per weight) [model choice, default].</summary>
    RomInt8,
    /// <summary>bf16 in external DRAM, streamed every token.</summary>
    Dram,
    /// <summary>bf16 in on-chip SRAM.</summary>
    Sram,
}

/// <summary>
/// The chip's parameters (DESIGN.md §5.1-5.7). Every default is a [model choice] of DESIGN.md unless the
/// doc comment cites the paper; all are swept by <c>bitrom sweep</c>.
/// </summary>
public sealed record ChipArchitecture
{
    /// <summary>Name printed in reports.</summary>
    public string Name { get; init; } = "bitrom";

    /// <summary>Process node (65 = the paper's; 28/16/7 derived by NodeScaling).</summary>
    public int NodeNm { get; init; } = 65;

    /// <summary>BiROMA rows (word lines) per plane: 2,048 (paper, via the Moonlight review).</summary>
    public int Rows { get; init; } = 2048;

    /// <summary>BiROMA columns: 1,024 (paper, via the Moonlight review).</summary>
    public int Cols { get; init; } = 1024;

    /// <summary>Storage bits per cell in the density figure: 2 trits at 2 b = 4 (the printed convention).</summary>
    public int TritsPerCell { get; init; } = 2;

    /// <summary>A plane at the matrix's input edge reads only its rows holding inputs (the chip's <c>skip_padded_rows</c>, on).</summary>
    public bool SkipPaddedRows { get; init; } = true;

    /// <summary>TriMLA local group G (rows per local accumulation).</summary>
    public int GroupRows { get; init; } = 16;

    /// <summary>TriMLA local accumulator width.</summary>
    public int LocalBits { get; init; } = 12;

    /// <summary>TriMLA global accumulator width.</summary>
    public int GlobalBits { get; init; } = 24;

    /// <summary>Activation width broadcast to the macros (int8, DESIGN.md §4).</summary>
    public int ActivationBits { get; init; } = 8;

    /// <summary>Clock, MHz (100 MHz at 65 nm).</summary>
    public double ClockMHz { get; init; } = 100;

    /// <summary>Prefill tokens served by one ROM read (default 1).</summary>
    public int TokensPerRead { get; init; } = 1;

    /// <summary>DR eDRAM capacity in bytes; 0 = no DR eDRAM (all KV in DRAM).</summary>
    public long EdramBytes { get; init; } = 2L << 20;

    /// <summary>DR eDRAM banks.</summary>
    public int EdramBanks { get; init; } = 8;

    /// <summary>Bits each eDRAM bank delivers per cycle.</summary>
    public int EdramBitsPerBankCycle { get; init; } = 128;

    /// <summary>Retention time t_ret in ms (10 ms: 1T1C class; a 65 nm gain cell holds ~0.1 ms).</summary>
    public double TRetMs { get; init; } = 10;

    /// <summary>Placement policy when the KV cache exceeds the eDRAM.</summary>
    public KvPlacementPolicy Policy { get; init; } = KvPlacementPolicy.Recent;

    /// <summary>KV precision in bits (16 default, or 8 with per-head scales).</summary>
    public int KvBits { get; init; } = 16;

    /// <summary>External DRAM standard: a <c>dram.&lt;type&gt;.*</c> row of the table.</summary>
    public string DramType { get; init; } = "lpddr4";

    /// <summary>Embedding and lm_head placement.</summary>
    public HeadPlacement Head { get; init; } = HeadPlacement.RomInt8;

    /// <summary>LoRA rank on v_proj, o_proj, down_proj (the authors' default 16); 0 = no LoRA unit.</summary>
    public int LoraRank { get; init; } = 16;

    /// <summary>LoRA weight bits (W6A8, the authors' hardware setting).</summary>
    public int LoraWeightBits { get; init; } = 6;

    /// <summary>Ternary weights are streamed from DRAM every token (the SRAM-CIM/NPU baseline), not held in ROM.</summary>
    public bool StreamWeightsFromDram { get; init; }

    /// <summary>Bits stored per ROM transistor; 2 trits (BiROMA) or, for the conventional baseline, 0.5 trit (two cells per trit).</summary>
    public double TritsPerTransistor { get; init; } = 2;

    /// <summary>Throws naming the first bad field.</summary>
    public ChipArchitecture Validate()
    {
        static void Positive(double v, string name)
        {
            if (!(v > 0) || double.IsInfinity(v)) throw new ArgumentException($"chip: {name} = {v} must be positive");
        }
        Positive(Rows, nameof(Rows)); Positive(Cols, nameof(Cols)); Positive(GroupRows, nameof(GroupRows));
        Positive(ClockMHz, nameof(ClockMHz)); Positive(TokensPerRead, nameof(TokensPerRead)); Positive(EdramBanks, nameof(EdramBanks));
        Positive(EdramBitsPerBankCycle, nameof(EdramBitsPerBankCycle)); Positive(TRetMs, nameof(TRetMs)); Positive(TritsPerTransistor, nameof(TritsPerTransistor));
        if (EdramBytes < 0) throw new ArgumentException($"chip: EdramBytes = {EdramBytes} must be >= 0");
        if (LoraRank < 0) throw new ArgumentException($"chip: LoraRank = {LoraRank} must be >= 0");
        if (KvBits is not (8 or 16)) throw new ArgumentException($"chip: KvBits = {KvBits} must be 8 or 16");
        if (ActivationBits is < 2 or > 16) throw new ArgumentException($"chip: ActivationBits = {ActivationBits} must be 2..16");
        // Overflow-free local accumulation needs G·2^(a-1) to fit in local_bits (DESIGN.md §5.5); narrower is allowed by the chip model, not here.
        if (LocalBits < 2 || GlobalBits < LocalBits) throw new ArgumentException($"chip: LocalBits = {LocalBits}, GlobalBits = {GlobalBits}: need 2 <= local <= global");
        if (GroupRows > Rows) throw new ArgumentException($"chip: GroupRows = {GroupRows} exceeds Rows = {Rows}");
        return this;
    }

    /// <summary>The default chip of DESIGN.md §5 at 65 nm.</summary>
    public static ChipArchitecture Default { get; } = new();
}
