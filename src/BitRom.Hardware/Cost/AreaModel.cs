using BitRom.Hardware.Tables;

namespace BitRom.Hardware.Cost;

/// <summary>One area item: instances × area each, and its leakage.</summary>
public sealed record AreaLine(string Component, string Item, double Instances, double SquareMicronsEach, double SquareMicrons, double StaticMicroWatts, string Derivation);

/// <summary>Area and static power by component (Accelergy's ART + leakage).</summary>
public sealed record AreaBreakdown(IReadOnlyList<AreaLine> Lines, long Macros, double CellSquareMicrons)
{
    /// <summary>Total area, mm².</summary>
    public double TotalSquareMillimetres => Lines.Sum(l => l.SquareMicrons) * 1e-6;

    /// <summary>Area of one component, mm².</summary>
    public double SquareMillimetres(string component) => Lines.Where(l => l.Component == component).Sum(l => l.SquareMicrons) * 1e-6;

    /// <summary>Static power per component, µW.</summary>
    public IReadOnlyDictionary<string, double> StaticMicroWatts =>
        Lines.GroupBy(l => l.Component).ToDictionary(g => g.Key, g => g.Sum(l => l.StaticMicroWatts));
}

/// <summary>What the chip must hold, from the mapping (plain numbers; Hardware never sees Model).</summary>
public sealed record ChipContents(long TernaryMacros, double HeadRomTransistors, double HeadSramBits, double LoraBits,
    double MaxTreeAdders, int TreeBits);

/// <summary>
/// Area = architecture × table (DESIGN.md §5.8): array cells of two metal pitches × one CPP, macro periphery
/// (sense amps, word-line drivers, one TriMLA per column), adder tree, DR eDRAM, LoRA SRAM and MACs, digital
/// units, controller. A pure function.
/// </summary>
public static class AreaModel
{
    /// <summary>Cell area in µm²: width two metal pitches (E and O line stacks), height one CPP.</summary>
    public static double CellSquareMicrons(TechnologyTable t) => 2 * t.Value("tech", "m1_pitch") * t.Value("tech", "cpp");

    /// <summary>Gate equivalents of one column's TriMLA (local and global accumulators) per token served by a read.</summary>
    public static double TriMlaGe(ChipArchitecture a, TechnologyTable t)
    {
        double fa = t.Value("tech", "ge_full_adder"), ff = t.Value("tech", "ge_flip_flop");
        // local: adder + register + an XOR per bit for subtract + a 3-GE clock gate; global: adder + register
        return a.TokensPerRead * (a.LocalBits * (fa + ff + 1) + 3 + a.GlobalBits * (fa + ff));
    }

    /// <summary>Area of one macro's parts, µm²: (array, sense amps, WL drivers, TriMLA).</summary>
    public static (double Array, double Sense, double Wl, double TriMla) Macro(ChipArchitecture a, TechnologyTable t)
    {
        double ge = t.Value("tech", "ge_area");
        return (a.Rows * (double)a.Cols * CellSquareMicrons(t), a.Cols * t.Value("biroma", "ge_sense_amp") * ge,
            a.Rows * t.Value("biroma", "ge_wl_driver") * ge, a.Cols * TriMlaGe(a, t) * ge);
    }

    /// <summary>Evaluates the chip's area and leakage.</summary>
    public static AreaBreakdown Evaluate(ChipArchitecture a, ChipContents c, TechnologyTable t)
    {
        double ge = t.Value("tech", "ge_area"), leakGe = t.Value("tech", "leak_per_ge") * 1e-6, leakCell = t.Value("tech", "leak_per_rom_cell") * 1e-6;
        double cell = CellSquareMicrons(t);
        var (array, sense, wl, tri) = Macro(a, t);
        double cellsPerMacro = (double)a.Rows * a.Cols;
        long headMacros = (long)Math.Ceiling(c.HeadRomTransistors / cellsPerMacro);
        long macros = c.TernaryMacros + headMacros;
        var lines = new List<AreaLine>();
        void Logic(string comp, string item, double n, double geEach, string how) => lines.Add(new AreaLine(comp, item, n, geEach * ge, n * geEach * ge, n * geEach * leakGe, how));

        lines.Add(new AreaLine("biroma", "array", macros, array, macros * array, macros * cellsPerMacro * leakCell,
            $"rows·cols·cell = {a.Rows}·{a.Cols}·{cell:F4} um2 (cell = 2·m1_pitch·cpp)"));
        Logic("biroma", "sense_amps", macros * (double)a.Cols, t.Value("biroma", "ge_sense_amp"), "one per column");
        Logic("biroma", "wl_drivers", macros * (double)a.Rows, t.Value("biroma", "ge_wl_driver"), "one per word line");
        Logic("trimla", "accumulators", macros * (double)a.Cols, TriMlaGe(a, t), $"per column: {a.LocalBits}-bit local + {a.GlobalBits}-bit global (FA + FF per bit), x tokens_per_read");
        double fa = t.Value("tech", "ge_full_adder"), ff = t.Value("tech", "ge_flip_flop");
        Logic("adder_tree", "adders", c.MaxTreeAdders, c.TreeBits * (fa + ff), $"{c.TreeBits}-bit adder + register for the widest concurrent stage");

        if (a.EdramBytes > 0)
        {
            double bits = a.EdramBytes * 8.0, eCell = t.Value("sram", "cell_area") * t.Value("edram", "cell_vs_sram") / t.Value("sram", "array_efficiency");
            lines.Add(new AreaLine("edram", "array", bits, eCell, bits * eCell, a.EdramBytes / 1024.0 * t.Value("edram", "leak_periph_per_kib") * 1e-3,
                "bits · sram.cell_area · edram.cell_vs_sram / sram.array_efficiency"));
        }
        double sramCell = t.Value("sram", "cell_area") / t.Value("sram", "array_efficiency"), sramLeak = t.Value("sram", "leak_per_bit") * 1e-6;
        if (c.LoraBits > 0)
        {
            lines.Add(new AreaLine("lora", "sram", c.LoraBits, sramCell, c.LoraBits * sramCell, c.LoraBits * sramLeak, "adapter bits · sram.cell_area / array_efficiency"));
            Logic("lora", "macs", t.Value("lora", "lanes"), t.Value("lora", "ge_per_lane"), "6b x 8b MAC lanes");
        }
        if (c.HeadSramBits > 0)
            lines.Add(new AreaLine("lm_head", "sram", c.HeadSramBits, sramCell, c.HeadSramBits * sramCell, c.HeadSramBits * sramLeak, "bf16 head bits in SRAM"));
        if (headMacros > 0)
            lines.Add(new AreaLine("lm_head", "rom_periphery", headMacros, sense + wl + tri, headMacros * (sense + wl + tri), headMacros * (a.Cols * (t.Value("biroma", "ge_sense_amp") + TriMlaGe(a, t)) + a.Rows * t.Value("biroma", "ge_wl_driver")) * leakGe,
                $"{headMacros} ROM macros for the int8 head/embedding (their cells are in biroma.array)"));
        Logic("vector_unit", "lanes", t.Value("vector_unit", "lanes"), t.Value("vector_unit", "ge_per_lane"), "FP16 lanes");
        Logic("attention", "lanes", t.Value("attention", "lanes"), t.Value("attention", "ge_per_lane"), "MAC lanes");
        Logic("controller", "logic", 1, t.Value("controller", "ge"), "sequencer and DRAM controller");
        return new AreaBreakdown(lines, macros, cell);
    }
}
