using BitRom.Hardware.Simulation;

namespace BitRom.Hardware.Cost;

/// <summary>
/// The one place the chip simulator's counters (<see cref="ChipEvent"/>) become the cost model's
/// <see cref="ActionCounts"/>: simulated runs are costed by exactly the table the analytic path uses.
/// </summary>
public static class ChipCountsAdapter
{
    /// <summary>
    /// Maps <paramref name="events"/> to actions. Both read directions cost the same BL energy (the E/O sides are
    /// symmetric); the activation broadcast, which the simulator does not count, is one activation per word-line
    /// read (as in <see cref="AnalyticCounter"/>); the float head's MACs run on the vector unit. Overflow, sense-error
    /// and zero-operand counters carry no energy of their own.
    /// </summary>
    public static ActionCounts ToActionCounts(EventCounts events, int activationBits)
    {
        var c = new ActionCounts();
        c.Add("biroma", "sense_zero", events[ChipEvent.SenseReadFZero] + events[ChipEvent.SenseReadBZero]);
        c.Add("biroma", "sense_pos", events[ChipEvent.SenseReadFPlus] + events[ChipEvent.SenseReadBPlus]);
        c.Add("biroma", "sense_neg", events[ChipEvent.SenseReadFMinus] + events[ChipEvent.SenseReadBMinus]);
        c.Add("biroma", "wl", events[ChipEvent.WordLineRead]);
        c.Add("trimla", "local_add", events[ChipEvent.LocalAdd]);
        c.Add("trimla", "local_sub", events[ChipEvent.LocalSub]);
        c.Add("trimla", "idle", events[ChipEvent.Idle]);
        c.Add("trimla", "global_add", events[ChipEvent.GlobalAdd]);
        c.Add("adder_tree", "add", events[ChipEvent.AdderTreeAdd]);
        c.Add("broadcast", "bit", events[ChipEvent.WordLineRead] * (double)activationBits);
        c.Add("vector_unit", "mac", events[ChipEvent.DenseMac]);
        return c;
    }

    /// <summary>As <see cref="ToActionCounts(EventCounts, int)"/> from counters keyed by <see cref="ChipEvent"/> name (a <see cref="ChipSummary"/>); unknown names are ignored.</summary>
    public static ActionCounts ToActionCounts(IReadOnlyDictionary<string, long> events, int activationBits)
    {
        var ev = new EventCounts();
        foreach (var (name, count) in events)
            if (Enum.TryParse(name, out ChipEvent e)) ev.Add(e, count);
        return ToActionCounts(ev, activationBits);
    }

    /// <summary>The cost model's view of the simulator's chip config (geometry, TriMLA widths, clock, row skipping).</summary>
    public static ChipArchitecture Architecture(Components.ChipConfig c) => ChipArchitecture.Default with
    {
        Name = c.Name, Rows = c.ArrayRows, Cols = c.ArrayCols, GroupRows = c.GroupRows, LocalBits = c.LocalBits, GlobalBits = c.GlobalBits,
        ClockMHz = c.ClockMHz, TokensPerRead = c.TokensPerRead, SkipPaddedRows = c.SkipPaddedRows,
    };

    /// <summary>
    /// Energy of a simulated run on the default 65 nm table: the macro part (BiROMA + TriMLA), the rest of the counted
    /// actions, and macro-level TOPS/W (2 ops per ternary MAC, zeros included).
    /// </summary>
    public static (EnergyBreakdown Energy, double MacroPicoJoules, double MacroTopsPerWatt) Energy(IReadOnlyDictionary<string, long> events, ChipArchitecture arch)
    {
        EnergyBreakdown e = EnergyModel.Evaluate(ToActionCounts(events, arch.ActivationBits), EnergyTable.Derive(Tables.TechnologyLoader.Load(arch.NodeNm), arch));
        double macro = e.DynamicOf("biroma", "trimla");
        double ops = 2.0 * events.GetValueOrDefault(nameof(ChipEvent.TernaryMac));
        return (e, macro, macro > 0 ? ops / macro : 0);
    }
}
