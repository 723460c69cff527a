namespace BitRom.Hardware.Cost;

/// <summary>
/// Baselines evaluated by the same machinery as the chip (issue 7 §3): one rule change each, so every
/// difference in the comparison comes from that rule.
/// </summary>
public static class Baselines
{
    /// <summary>The same chip without DR eDRAM: every KV entry lives in external DRAM.</summary>
    public static ChipArchitecture WithoutEdram(ChipArchitecture chip) => chip with { Name = chip.Name + " w/o DR eDRAM", EdramBytes = 0 };

    /// <summary>
    /// A conventional digital CiROM with the same cell rules: one bit per transistor, two cells per trit
    /// (so 0.5 trit per transistor), one read direction.
    /// </summary>
    public static ChipArchitecture ConventionalCiRom(ChipArchitecture chip) => chip with { Name = "conventional digital CiROM", TritsPerTransistor = 0.5 };

    /// <summary>An SRAM-CIM/NPU that streams the ternary weights (2 b each) from DRAM every token; KV and head in DRAM.</summary>
    public static ChipArchitecture SramCimNpu(ChipArchitecture chip) => chip with
    {
        Name = "SRAM-CIM/NPU (weights streamed from DRAM)", StreamWeightsFromDram = true, EdramBytes = 0, Head = HeadPlacement.Dram,
    };

    /// <summary>The chip and every modelled baseline, chip first.</summary>
    public static IReadOnlyList<ChipArchitecture> All(ChipArchitecture chip) => [chip, WithoutEdram(chip), ConventionalCiRom(chip), SramCimNpu(chip)];
}
