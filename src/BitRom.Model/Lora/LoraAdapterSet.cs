using BitRom.Model.Inference;

namespace BitRom.Model.Lora;

/// <summary>
/// Several adapters loaded at once, one active (or none), switched at run time (DESIGN.md §5.7 hot swap).
/// Switching changes only which corrections are added; the ternary weights are never touched.
/// </summary>
public sealed class LoraAdapterSet : ILinearAdapter
{
    private readonly Dictionary<string, LoraAdapter> _adapters = new(StringComparer.Ordinal);

    /// <summary>The active adapter, or null for the bare model.</summary>
    public LoraAdapter? Active { get; private set; }

    /// <summary>Names loaded.</summary>
    public IReadOnlyCollection<string> Names => _adapters.Keys;

    /// <summary>Adds <paramref name="adapter"/> under its name; throws if the name is taken.</summary>
    public void Add(LoraAdapter adapter)
    {
        if (!_adapters.TryAdd(adapter.Name, adapter)) throw new ArgumentException($"an adapter named '{adapter.Name}' is already loaded");
    }

    /// <summary>Makes <paramref name="name"/> active; null deactivates every adapter.</summary>
    public void Activate(string? name)
    {
        if (name is null)
        {
            Active = null;
            return;
        }
        Active = _adapters.TryGetValue(name, out LoraAdapter? a) ? a
            : throw new ArgumentException($"no adapter named '{name}'; loaded: {string.Join(", ", _adapters.Keys)}");
    }

    /// <inheritdoc />
    public void Apply(int layer, string name, ReadOnlySpan<float> x, int tokens, Span<float> y) => Active?.Apply(layer, name, x, tokens, y);
}
