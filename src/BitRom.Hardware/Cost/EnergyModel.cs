namespace BitRom.Hardware.Cost;

/// <summary>One line of an energy breakdown: count × energy per action = energy.</summary>
public sealed record EnergyLine(string Component, string Action, double Count, double PicoJoulesPerAction, double PicoJoules);

/// <summary>Dynamic energy by component and action (Accelergy's energy_estimation), plus static energy by component.</summary>
public sealed record EnergyBreakdown(IReadOnlyList<EnergyLine> Lines, IReadOnlyDictionary<string, double> StaticPicoJoules)
{
    /// <summary>Sum of the dynamic lines, pJ.</summary>
    public double DynamicPicoJoules => Lines.Sum(l => l.PicoJoules);

    /// <summary>Sum of static (leakage) energy, pJ.</summary>
    public double StaticTotalPicoJoules => StaticPicoJoules.Values.Sum();

    /// <summary>Dynamic + static, pJ.</summary>
    public double TotalPicoJoules => DynamicPicoJoules + StaticTotalPicoJoules;

    /// <summary>Dynamic energy of the components named, pJ.</summary>
    public double DynamicOf(params string[] components) => Lines.Where(l => components.Contains(l.Component)).Sum(l => l.PicoJoules);

    /// <summary>Dynamic + static energy per component, pJ, in a stable order.</summary>
    public IReadOnlyList<(string Component, double Dynamic, double Static)> ByComponent()
    {
        var names = Lines.Select(l => l.Component).Concat(StaticPicoJoules.Keys).Distinct().ToList();
        return names.Select(n => (n, Lines.Where(l => l.Component == n).Sum(l => l.PicoJoules), StaticPicoJoules.GetValueOrDefault(n))).ToList();
    }
}

/// <summary>Energy = Σ action counts × per-action energy (STYLE.md §2.4.1): a pure function, no I/O.</summary>
public static class EnergyModel
{
    /// <summary>Dynamic energy of <paramref name="counts"/> priced by <paramref name="table"/>; throws on an action the table lacks.</summary>
    public static EnergyBreakdown Evaluate(ActionCounts counts, EnergyTable table) => Evaluate(counts, table, new Dictionary<string, double>());

    /// <summary>As <see cref="Evaluate(ActionCounts, EnergyTable)"/> plus static energy = static power (µW) × <paramref name="seconds"/>.</summary>
    public static EnergyBreakdown Evaluate(ActionCounts counts, EnergyTable table, IReadOnlyDictionary<string, double> staticMicroWatts, double seconds)
    {
        var stat = staticMicroWatts.ToDictionary(kv => kv.Key, kv => kv.Value * 1e-6 * seconds * 1e12);
        return Evaluate(counts, table, stat);
    }

    private static EnergyBreakdown Evaluate(ActionCounts counts, EnergyTable table, Dictionary<string, double> staticPj)
    {
        var lines = new List<EnergyLine>();
        foreach (var (key, count) in counts.Entries)
        {
            double pj = table.PicoJoules(key.Component, key.Action);
            lines.Add(new EnergyLine(key.Component, key.Action, count, pj, count * pj));
        }
        return new EnergyBreakdown(lines, staticPj);
    }
}
