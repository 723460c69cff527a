namespace BitRom.Hardware.Cost;

/// <summary>One action of one component, e.g. (<c>trimla</c>, <c>local_add</c>).</summary>
public readonly record struct ActionKey(string Component, string Action)
{
    /// <inheritdoc/>
    public override string ToString() => Component + "." + Action;
}

/// <summary>
/// What the chip did, never joules (STYLE.md §2.4.1): component, action → count. Counts are doubles
/// because the analytic counter produces expected counts (a zero fraction times a matrix size);
/// simulated counters add integers. Mutable while counting; costing reads it only.
/// </summary>
public sealed class ActionCounts
{
    private readonly Dictionary<ActionKey, double> _counts = [];

    /// <summary>Every (action, count) with a non-zero count, in insertion order.</summary>
    public IEnumerable<KeyValuePair<ActionKey, double>> Entries => _counts.Where(kv => kv.Value != 0);

    /// <summary>The count of <c>component.action</c> (0 when never added).</summary>
    public double this[string component, string action] => _counts.GetValueOrDefault(new ActionKey(component, action));

    /// <summary>Adds <paramref name="count"/> events; throws on a negative or non-finite count.</summary>
    public ActionCounts Add(string component, string action, double count)
    {
        if (!(count >= 0) || double.IsInfinity(count)) throw new ArgumentOutOfRangeException(nameof(count), $"{component}.{action}: count {count} must be finite and non-negative");
        var key = new ActionKey(component, action);
        _counts[key] = _counts.GetValueOrDefault(key) + count;
        return this;
    }

    /// <summary>Adds every count of <paramref name="other"/> times <paramref name="times"/>.</summary>
    public ActionCounts Add(ActionCounts other, double times = 1)
    {
        foreach (var (k, v) in other._counts) Add(k.Component, k.Action, v * times);
        return this;
    }

    /// <summary>A copy of these counts times <paramref name="factor"/>.</summary>
    public ActionCounts Scaled(double factor) => new ActionCounts().Add(this, factor);

    /// <summary>Sum of the counts of one component.</summary>
    public double Total(string component) => _counts.Where(kv => kv.Key.Component == component).Sum(kv => kv.Value);
}
