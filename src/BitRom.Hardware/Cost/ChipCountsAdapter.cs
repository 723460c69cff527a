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
}
