using System.Text.Json;
using System.Text.Json.Nodes;

namespace BitRom.Hardware.Simulation;

/// <summary>
/// The actions the chip's components perform (STYLE.md §2.4: components count actions, never joules; the cost
/// model multiplies these by per-action energies).
/// </summary>
public enum ChipEvent
{
    /// <summary>BiROMA: one cell sensed in direction F (E drives, O senses) giving trit 0.</summary>
    SenseReadFZero,
    /// <summary>BiROMA: direction F, trit +1.</summary>
    SenseReadFPlus,
    /// <summary>BiROMA: direction F, trit −1.</summary>
    SenseReadFMinus,
    /// <summary>BiROMA: one cell sensed in direction B (O drives, E senses) giving trit 0.</summary>
    SenseReadBZero,
    /// <summary>BiROMA: direction B, trit +1.</summary>
    SenseReadBPlus,
    /// <summary>BiROMA: direction B, trit −1.</summary>
    SenseReadBMinus,
    /// <summary>BiROMA: cells whose sensed trit differs from the stored one (sensing noise).</summary>
    SenseError,
    /// <summary>Word-line activations (one per row per plane per read; a read serves <c>tokens_per_read</c> tokens).</summary>
    WordLineRead,
    /// <summary>TriMLA: local accumulator adds q (trit +1), per token.</summary>
    LocalAdd,
    /// <summary>TriMLA: local accumulator subtracts q (trit −1), per token.</summary>
    LocalSub,
    /// <summary>TriMLA: clock-gated idle cycles (trit 0), per token.</summary>
    Idle,
    /// <summary>TriMLA: adds/subtracts whose activation q is 0 (a subset of LocalAdd + LocalSub).</summary>
    ZeroOperandOp,
    /// <summary>TriMLA: local → global accumulator adds (one per column per row group per token).</summary>
    GlobalAdd,
    /// <summary>Global adder tree: additions of partial column results of macros sharing outputs.</summary>
    AdderTreeAdd,
    /// <summary>TriMLA: local accumulator overflow events.</summary>
    LocalOverflow,
    /// <summary>TriMLA: global accumulator overflow events.</summary>
    GlobalOverflow,
    /// <summary>Matrix latency: macros of one matrix run in parallel, one word line per cycle (DESIGN.md §5.4).</summary>
    LatencyCycles,
    /// <summary>Useful ternary MACs (N·K per token; zeros included, padding excluded).</summary>
    TernaryMac,
    /// <summary>Float MACs of the non-ternary head, computed by the inner backend.</summary>
    DenseMac,
    /// <summary>Matrix products served.</summary>
    MatrixCall,
}

/// <summary>A counter per <see cref="ChipEvent"/>.</summary>
public sealed class EventCounts
{
    private readonly long[] _counts = new long[Enum.GetValues<ChipEvent>().Length];

    /// <summary>The count of <paramref name="e"/>.</summary>
    public long this[ChipEvent e] => _counts[(int)e];

    /// <summary>Adds <paramref name="n"/> to <paramref name="e"/>.</summary>
    public void Add(ChipEvent e, long n) => _counts[(int)e] += n;

    /// <summary>Adds every counter of <paramref name="other"/>.</summary>
    public void Add(EventCounts other)
    {
        for (int i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
    }

    /// <summary>
    /// The (component, action) an event is charged to by the cost model's tables (<c>biroma.sense_zero</c>, …); both read
    /// directions map to the same action, since the paper gives no reason for them to cost differently.
    /// </summary>
    public static (string Component, string Action) ComponentAction(ChipEvent e) => e switch
    {
        ChipEvent.SenseReadFZero or ChipEvent.SenseReadBZero => ("biroma", "sense_zero"),
        ChipEvent.SenseReadFPlus or ChipEvent.SenseReadBPlus => ("biroma", "sense_pos"),
        ChipEvent.SenseReadFMinus or ChipEvent.SenseReadBMinus => ("biroma", "sense_neg"),
        ChipEvent.SenseError => ("biroma", "sense_error"),
        ChipEvent.WordLineRead => ("biroma", "wl"),
        ChipEvent.LocalAdd => ("trimla", "local_add"),
        ChipEvent.LocalSub => ("trimla", "local_sub"),
        ChipEvent.Idle => ("trimla", "idle"),
        ChipEvent.ZeroOperandOp => ("trimla", "zero_operand"),
        ChipEvent.GlobalAdd => ("trimla", "global_add"),
        ChipEvent.LocalOverflow => ("trimla", "local_overflow"),
        ChipEvent.GlobalOverflow => ("trimla", "global_overflow"),
        ChipEvent.AdderTreeAdd => ("adder_tree", "add"),
        ChipEvent.LatencyCycles => ("chip", "cycles"),
        ChipEvent.TernaryMac => ("chip", "ternary_mac"),
        ChipEvent.DenseMac => ("head", "mac"),
        _ => ("chip", "matrix_call"),
    };

    /// <summary>Non-zero counters as (component, action, count), summed where two events share an action.</summary>
    public IEnumerable<(string Component, string Action, long Count)> ByComponentAction() =>
        Enum.GetValues<ChipEvent>().Where(e => _counts[(int)e] != 0)
            .GroupBy(ComponentAction).Select(g => (g.Key.Component, g.Key.Action, g.Sum(e => _counts[(int)e])));

    /// <summary>Counters by event name.</summary>
    public IReadOnlyDictionary<string, long> ToDictionary() =>
        Enum.GetValues<ChipEvent>().ToDictionary(e => e.ToString(), e => _counts[(int)e]);
}

/// <summary>Observed extremes of an accumulator (the true sum, before the overflow policy acts).</summary>
public sealed class SumRange
{
    /// <summary>Smallest value seen; long.MaxValue when none.</summary>
    public long Min { get; private set; } = long.MaxValue;

    /// <summary>Largest value seen; long.MinValue when none.</summary>
    public long Max { get; private set; } = long.MinValue;

    /// <summary>True once a value was seen.</summary>
    public bool Any => Min <= Max;

    /// <summary>Widens the range to include <paramref name="v"/>.</summary>
    public void Observe(long v)
    {
        if (v < Min) Min = v;
        if (v > Max) Max = v;
    }

    /// <summary>Widens the range to include <paramref name="other"/>.</summary>
    public void Merge(SumRange other)
    {
        if (!other.Any) return;
        Observe(other.Min);
        Observe(other.Max);
    }

    /// <summary>Smallest signed two's-complement width holding the range (1 when empty).</summary>
    public int BitsNeeded => Any ? Math.Max(SignedBits(Min), SignedBits(Max)) : 1;

    /// <summary>Smallest b with −2^(b−1) ≤ v ≤ 2^(b−1) − 1.</summary>
    public static int SignedBits(long v) => 65 - (int)ulong.LeadingZeroCount((ulong)(v < 0 ? ~v : v));
}

/// <summary>What the chip did for one matrix.</summary>
public sealed class MatrixStats(string name)
{
    /// <summary>Matrix name.</summary>
    public string Name { get; } = name;

    /// <summary>Action counts.</summary>
    public EventCounts Events { get; } = new();

    /// <summary>Local accumulator values (exact stepping only).</summary>
    public SumRange Local { get; } = new();

    /// <summary>Global accumulator values (exact stepping only).</summary>
    public SumRange Global { get; } = new();

    /// <summary>Final int32 accumulations (every path).</summary>
    public SumRange Output { get; } = new();
}

/// <summary>
/// The registry every chip component reports into (STYLE.md §2.4.6, after ramulator2 <c>stats.h</c>): per-matrix
/// counters and ranges, totals, serialised to one versioned JSON document.
/// </summary>
public sealed class StatsRegistry
{
    /// <summary>Schema version of <see cref="ToJson"/>.</summary>
    public const int SchemaVersion = 1;

    private readonly Dictionary<string, MatrixStats> _matrices = new(StringComparer.Ordinal);

    /// <summary>Per-matrix stats in first-seen order.</summary>
    public IReadOnlyCollection<MatrixStats> Matrices => _matrices.Values;

    /// <summary>The stats of <paramref name="matrix"/>, created on first use.</summary>
    public MatrixStats For(string matrix)
    {
        if (!_matrices.TryGetValue(matrix, out MatrixStats? s)) _matrices[matrix] = s = new MatrixStats(matrix);
        return s;
    }

    /// <summary>Sum over all matrices.</summary>
    public EventCounts Total()
    {
        var t = new EventCounts();
        foreach (MatrixStats s in _matrices.Values) t.Add(s.Events);
        return t;
    }

    /// <summary>Forgets everything (between runs).</summary>
    public void Clear() => _matrices.Clear();

    /// <summary>The registry as JSON: version, totals, and per matrix its counters and observed ranges.</summary>
    public string ToJson(string? configYaml = null)
    {
        static JsonObject Range(SumRange r) => r.Any ? new JsonObject { ["min"] = r.Min, ["max"] = r.Max, ["bits"] = r.BitsNeeded } : new JsonObject();
        var root = new JsonObject { ["version"] = SchemaVersion };
        if (configYaml is not null) root["chip_config"] = configYaml;
        root["total"] = JsonSerializer.SerializeToNode(Total().ToDictionary());
        var list = new JsonArray();
        foreach (MatrixStats s in _matrices.Values)
            list.Add(new JsonObject
            {
                ["name"] = s.Name,
                ["events"] = JsonSerializer.SerializeToNode(s.Events.ToDictionary()),
                ["local_sum"] = Range(s.Local),
                ["global_sum"] = Range(s.Global),
                ["output"] = Range(s.Output),
            });
        root["matrices"] = list;
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
