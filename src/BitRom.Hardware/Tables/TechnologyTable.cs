namespace BitRom.Hardware.Tables;

/// <summary>
/// The constants of one process node: every row cited (STYLE.md §2.4.2-3). Immutable; lookups throw
/// naming the missing key, so a typo never silently becomes a zero.
/// </summary>
public sealed class TechnologyTable
{
    private readonly Dictionary<string, TechRow> _rows;

    /// <summary>Builds and validates a table; throws on a duplicate key, a non-finite value or a missing citation.</summary>
    public TechnologyTable(string name, int nodeNm, IEnumerable<TechRow> rows, string scalingRule)
    {
        Name = name;
        NodeNm = nodeNm;
        ScalingRule = scalingRule;
        _rows = new Dictionary<string, TechRow>(StringComparer.Ordinal);
        foreach (TechRow r in rows)
        {
            if (string.IsNullOrWhiteSpace(r.Source.Citation) || string.IsNullOrWhiteSpace(r.Source.Locator))
                throw new InvalidDataException($"technology table {name}: row {r.Key} has no source (citation and locator are required)");
            if (!double.IsFinite(r.Value)) throw new InvalidDataException($"technology table {name}: row {r.Key} has a non-finite value");
            if (string.IsNullOrWhiteSpace(r.Unit)) throw new InvalidDataException($"technology table {name}: row {r.Key} has no unit");
            if (!_rows.TryAdd(r.Key, r)) throw new InvalidDataException($"technology table {name}: duplicate row {r.Key}");
        }
    }

    /// <summary>Preset name, e.g. <c>BitRom65nm</c> or <c>BitRom28nm (derived)</c>.</summary>
    public string Name { get; }

    /// <summary>Process node in nm.</summary>
    public int NodeNm { get; }

    /// <summary>How this table was obtained from the 65 nm one ("" for the base table).</summary>
    public string ScalingRule { get; }

    /// <summary>Every row in file order.</summary>
    public IEnumerable<TechRow> Rows => _rows.Values;

    /// <summary>The row <c>component.item</c>; throws if absent.</summary>
    public TechRow Row(string component, string item) =>
        _rows.TryGetValue(component + "." + item, out TechRow? r) ? r
        : throw new KeyNotFoundException($"technology table {Name}: no row {component}.{item}");

    /// <summary>The value of <c>component.item</c>; throws if absent.</summary>
    public double Value(string component, string item) => Row(component, item).Value;

    /// <summary>True when the row exists.</summary>
    public bool Has(string component, string item) => _rows.ContainsKey(component + "." + item);

    /// <summary>A copy with some values replaced (overrides keep the row's unit and get a placeholder provenance naming the override).</summary>
    public TechnologyTable With(IReadOnlyDictionary<string, double> overrides, string origin)
    {
        var rows = _rows.Values.Select(r => overrides.TryGetValue(r.Key, out double v)
            ? r with { Value = v, Source = new Provenance(origin, $"override of {r.Key} (was {r.Value} {r.Unit}: {r.Source.Citation})", ProvenanceKind.Placeholder) }
            : r).ToList();
        foreach (string key in overrides.Keys)
            if (!_rows.ContainsKey(key)) throw new ArgumentException($"{origin}: override {key} names no row of {Name}");
        return new TechnologyTable(Name, NodeNm, rows, ScalingRule);
    }
}
