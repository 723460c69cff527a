using BitRom.Hardware.Tables;

namespace BitRom.Hardware.Cost;

/// <summary>Energy of one action in pJ, with its provenance (STYLE.md §2.4.2).</summary>
public sealed record EnergyEntry(string Component, string Action, double PicoJoules, Provenance Source);

/// <summary>
/// Per-action energies (Accelergy's ERT) for one chip on one node: derived from the technology table's
/// primitives and the architecture (BL length follows the row count), every formula written out in the
/// entry's locator so <c>constants.csv</c> shows how each number arose.
/// </summary>
public sealed class EnergyTable
{
    private readonly Dictionary<ActionKey, EnergyEntry> _entries = [];

    /// <summary>Every entry.</summary>
    public IEnumerable<EnergyEntry> Entries => _entries.Values;

    /// <summary>The technology the entries were derived from.</summary>
    public TechnologyTable Technology { get; }

    /// <summary>Named calibration factor applied to every on-chip dynamic energy (1 = none). Printed in every report.</summary>
    public double Calibration { get; }

    /// <summary>Energy of one action; throws naming an action that has no entry.</summary>
    public double PicoJoules(string component, string action) => Entry(component, action).PicoJoules;

    /// <summary>The entry of one action; throws naming an action that has no entry.</summary>
    public EnergyEntry Entry(string component, string action) =>
        _entries.TryGetValue(new ActionKey(component, action), out EnergyEntry? e) ? e
        : throw new KeyNotFoundException($"energy table: no entry for action {component}.{action}");

    private EnergyTable(TechnologyTable tech, double calibration)
    {
        Technology = tech;
        Calibration = calibration;
    }

    private void Put(string component, string action, double pj, Provenance p) => _entries[new ActionKey(component, action)] = new EnergyEntry(component, action, pj, p);

    /// <summary>Derives the per-action energies of <paramref name="arch"/> on <paramref name="tech"/>.</summary>
    public static EnergyTable Derive(TechnologyTable tech, ChipArchitecture arch, double calibration = 1.0)
    {
        if (!(calibration > 0)) throw new ArgumentException($"calibration factor {calibration} must be positive");
        var t = new EnergyTable(tech, calibration);
        double vdd = tech.Value("tech", "vdd"), cpp = tech.Value("tech", "cpp"), pitch = tech.Value("tech", "m1_pitch");
        double cWire = tech.Value("tech", "c_wire"), cj = tech.Value("tech", "c_junction"), cg = tech.Value("tech", "c_gate");
        double h = tech.Value("tech", "horowitz_45_to_node") * calibration, k = calibration;

        // BiROMA bit line: precharged to VDD, pulled to the SL level of the trit: '0' = VDD/2, '+1' = VDD/4, '-1' = 0
        // (DESIGN.md §5.2). Energy drawn from the supply to restore it: C_BL · VDD · ΔV with ΔV = VDD - V_line.
        double blLenUm = arch.Rows * cpp;
        double cBlFf = blLenUm * cWire + arch.Rows / 3.0 * cj;
        string cBl = $"C_BL = rows·cpp·c_wire + rows/3·C_j = {arch.Rows}·{cpp}um·{cWire}fF/um + {arch.Rows}/3·{cj}fF = {cBlFf:F1} fF";
        double sense = tech.Value("biroma", "sense") * k;
        foreach (var (action, level, name) in new[] { ("sense_zero", 0.5, "'0' VDD/2"), ("sense_pos", 0.25, "'+1' VDD/4"), ("sense_neg", 0.0, "'-1' VSS") })
        {
            double bl = cBlFf * 1e-3 * vdd * (vdd - level * vdd) * k;
            t.Put("biroma", action, bl + sense, Provenance.Derive(
                $"{cBl}; E = C_BL·VDD·(VDD - V_line), {name}: {cBlFf:F1}fF·{vdd}V·{vdd * (1 - level):F3}V = {bl:F4} pJ; + sense amp {sense:F4} pJ"));
        }
        // Word line: cols gates + a wire two metal pitches per column, full swing: C_WL · VDD².
        double cWlFf = arch.Cols * (2 * pitch * cWire + cg);
        t.Put("biroma", "wl", cWlFf * 1e-3 * vdd * vdd * k, Provenance.Derive(
            $"C_WL = cols·(2·m1_pitch·c_wire + C_gate) = {arch.Cols}·(2·{pitch}·{cWire} + {cg}) = {cWlFf:F1} fF; E = C_WL·VDD²"));

        // TriMLA and adders: Horowitz ISSCC 2014 adds interpolated linearly in width, carried to the node by C·V².
        double Add(int bits) => bits <= 8 ? Hz("add8") * bits / 8 : bits <= 16 ? Lerp(8, "add8", 16, "add16", bits) : Lerp(16, "add16", 32, "add32", Math.Min(bits, 32)) * Math.Max(1, bits / 32.0);
        double Lerp(int b0, string e0, int b1, string e1, int bits) => Hz(e0) + (Hz(e1) - Hz(e0)) * (bits - b0) / (b1 - b0);
        double Hz(string item) => tech.Value("horowitz45", item);
        string hzNote = $"Horowitz 45 nm add energy interpolated by width x horowitz_45_to_node {h / k:F3}";
        t.Put("trimla", "local_add", Add(arch.LocalBits) * h, Provenance.Derive($"{arch.LocalBits}-bit add: {Add(arch.LocalBits):F4} pJ (45 nm) x {h / k:F3}; {hzNote}"));
        t.Put("trimla", "local_sub", Add(arch.LocalBits) * h, Provenance.Derive($"{arch.LocalBits}-bit subtract = add with inverted operand and carry-in; same energy as local_add"));
        t.Put("trimla", "idle", tech.Value("trimla", "idle") * k, Provenance.Derive($"clock-gated cycle = table row trimla.idle ({tech.Row("trimla", "idle").Source.Locator})"));
        t.Put("trimla", "global_add", Add(arch.GlobalBits) * h, Provenance.Derive($"{arch.GlobalBits}-bit add: {Add(arch.GlobalBits):F4} pJ (45 nm) x {h / k:F3}"));
        int treeBits = arch.GlobalBits + 4;
        t.Put("adder_tree", "add", Add(treeBits) * h, Provenance.Derive($"{treeBits}-bit add (global width + 4 guard bits): {Add(treeBits):F4} pJ (45 nm) x {h / k:F3}"));

        // Broadcast: one activation bit driven across a macro's width (cols·2·m1_pitch of wire), with activity α.
        double act = tech.Value("broadcast", "activity");
        double cBusFf = arch.Cols * 2 * pitch * cWire;
        t.Put("broadcast", "bit", cBusFf * 1e-3 * vdd * vdd * act * k, Provenance.Derive($"C_bus = cols·2·m1_pitch·c_wire = {cBusFf:F1} fF; E = α·C·VDD², α = {act}"));

        // Digital vector unit and attention: FP16 op = mean of FP16 add and mult; FP16 MAC = add + mult; INT8 MAC = mult8 + add32.
        t.Put("vector_unit", "op", (Hz("fp16_add") + Hz("fp16_mult")) / 2 * h, Provenance.Derive($"(FP16 add {Hz("fp16_add")} + mult {Hz("fp16_mult")})/2 pJ (45 nm) x {h / k:F3}"));
        t.Put("vector_unit", "mac", (Hz("fp16_add") + Hz("fp16_mult")) * h, Provenance.Derive($"FP16 MAC = add + mult = {Hz("fp16_add") + Hz("fp16_mult")} pJ (45 nm) x {h / k:F3}"));
        double attMac = arch.KvBits == 8 ? Hz("mult8") + Hz("add32") : Hz("fp16_add") + Hz("fp16_mult");
        t.Put("attention", "mac", attMac * h, Provenance.Derive(arch.KvBits == 8 ? $"INT8 MAC = mult8 + add32 = {attMac} pJ (45 nm) x {h / k:F3}" : $"FP16 MAC = {attMac} pJ (45 nm) x {h / k:F3}"));
        t.Put("lora", "mac", (Hz("mult8") + Hz("add16")) * h, Provenance.Derive($"6b x 8b MAC <= 8-bit mult + 16-bit add = {Hz("mult8") + Hz("add16")} pJ (45 nm) x {h / k:F3}"));

        // Memories.
        double sr = tech.Value("sram", "read_bit") * k, sw = tech.Value("sram", "write_bit") * k;
        t.Put("sram", "read_bit", sr, tech.Row("sram", "read_bit").Source);
        t.Put("sram", "write_bit", sw, tech.Row("sram", "write_bit").Source);
        double er = sr * tech.Value("edram", "read_vs_sram"), ew = sw * tech.Value("edram", "write_vs_sram");
        t.Put("edram", "read_bit", er, Provenance.Derive($"sram.read_bit {sr:F4} x edram.read_vs_sram {tech.Value("edram", "read_vs_sram")}"));
        t.Put("edram", "write_bit", ew, Provenance.Derive($"sram.write_bit {sw:F4} x edram.write_vs_sram {tech.Value("edram", "write_vs_sram")}"));
        t.Put("edram", "refresh_bit", er + ew, Provenance.Derive("refresh = read + write-back of the bit"));

        // ROM-resident 8-bit head/embedding: one binary digit per terminal on two line levels (VDD/2, VSS): mean swing 0.75 VDD.
        double binBl = cBlFf * 1e-3 * vdd * 0.75 * vdd * k;
        t.Put("lm_head", "bit_read", binBl + sense, Provenance.Derive($"binary digit on levels VDD/2 and VSS: C_BL·VDD·0.75·VDD = {binBl:F4} pJ + sense {sense:F4} pJ"));
        t.Put("biroma", "bit_read", binBl + sense, Provenance.Derive("conventional one-bit-per-transistor cell read: same binary swing as lm_head.bit_read"));
        t.Put("lm_head", "idle", tech.Value("trimla", "idle") * k, Provenance.Derive("clock-gated accumulator cycle for a zero digit = trimla.idle"));
        t.Put("lm_head", "shift_add", Add(arch.GlobalBits) * h, Provenance.Derive($"bit-serial shift-add into a {arch.GlobalBits}-bit accumulator"));

        // External DRAM (never node-scaled, never calibrated).
        string dram = arch.DramType;
        if (!tech.Has("dram", dram + ".pj_per_bit")) throw new ArgumentException($"unknown DRAM type '{dram}'; known: {string.Join(", ", tech.Rows.Where(r => r.Component == "dram" && r.Item.EndsWith(".pj_per_bit")).Select(r => r.Item.Split('.')[0]))}");
        TechRow d = tech.Row("dram", dram + ".pj_per_bit");
        t.Put("dram", "bit", d.Value, d.Source);
        return t;
    }
}
