namespace BitRom.Hardware.Simulation;

/// <summary>What a chip backend did during a run, for <c>bitrom run</c> to print (energy comes later, from the cost model).</summary>
/// <param name="Backend">Backend name.</param>
/// <param name="Macros">Macros the matrices seen occupy.</param>
/// <param name="Utilization">Weights over trit capacity of those macros.</param>
/// <param name="LatencyCycles">Σ per-matrix latency (macros of a matrix in parallel, matrices one after another).</param>
/// <param name="LatencyMs">LatencyCycles at the configured clock.</param>
/// <param name="Events">Total action counts by event name.</param>
/// <param name="FastCalls">Calls served analytically (chip backend), else 0.</param>
/// <param name="ExactCalls">Calls stepped bit by bit.</param>
/// <param name="ChipConfigYaml">The whole chip configuration, so every model choice behind the figures is on record.</param>
public sealed record ChipSummary(string Backend, int Macros, double Utilization, long LatencyCycles, double LatencyMs,
    IReadOnlyDictionary<string, long> Events, long FastCalls, long ExactCalls, string ChipConfigYaml)
{
    /// <summary>Summarises <paramref name="b"/>.</summary>
    public static ChipSummary From(ChipBackendBase b)
    {
        EventCounts total = b.Stats.Total();
        long cycles = total[ChipEvent.LatencyCycles];
        long ternaryCalls = b.Stats.Matrices.Where(m => m.Events[ChipEvent.TernaryMac] > 0).Sum(m => m.Events[ChipEvent.MatrixCall]);
        (long fast, long exact) = b is ChipBackend c ? (c.FastCalls, c.ExactCalls) : (0L, ternaryCalls);
        return new ChipSummary(b.Name, b.Macros, b.Utilization, cycles, cycles / (b.Config.ClockMHz * 1e3), total.ToDictionary(), fast, exact, b.Config.ToYaml());
    }
}
