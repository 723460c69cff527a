namespace BitRom.Hardware.Components;

/// <summary>Which KV entries stay on die when the cache outgrows the DR eDRAM (DESIGN.md §5.6).</summary>
public enum KvPlacementPolicy
{
    /// <summary>Per layer, a sliding window of the newest positions; the oldest is evicted (spilled) to DRAM.</summary>
    Recent,
    /// <summary>Per layer, the first positions stay; later positions are written straight to DRAM.</summary>
    First,
    /// <summary>Whole layers (all planned positions) stay on die, the lowest layers first; the rest live in DRAM.</summary>
    Layers,
}

/// <summary>
/// The Decode-Refresh eDRAM that holds the KV cache on die. Every parameter is a [model choice] of DESIGN.md §5.6:
/// the paper gives none of them (PAPER-NOTES.md §5), so each is configurable and printed with the results.
/// </summary>
public sealed record DrEdramConfig
{
    /// <summary>Default capacity: 2 MiB (DESIGN.md §5.6).</summary>
    public const long DefaultCapacityBytes = 2L * 1024 * 1024;

    /// <summary>Default retention time: 10 ms, 1T1C-class (DESIGN.md §5.6; a 65 nm gain cell holds ~0.1 ms, HW-REFERENCES.md §3.4).</summary>
    public const double DefaultRetentionSeconds = 10e-3;

    /// <summary>Bytes of the per-head dequantization scale stored with 8-bit KV: one fp16 [model choice].</summary>
    public const int DefaultScaleBytesPerHead = 2;

    /// <summary>The defaults of DESIGN.md §5.6.</summary>
    public static DrEdramConfig Default { get; } = new();

    /// <summary>Capacity in bytes; 0 models a chip without DR eDRAM (every KV access goes to DRAM).</summary>
    public long CapacityBytes { get; init; } = DefaultCapacityBytes;

    /// <summary>Banks; row r sits in bank r mod Banks (default 8).</summary>
    public int Banks { get; init; } = 8;

    /// <summary>Row size in bytes (default 1 KiB); a row is the unit of activation, restore and refresh.</summary>
    public int RowBytes { get; init; } = 1024;

    /// <summary>Bits per stored K/V value: 16 (default) or 8 with a per-head scale.</summary>
    public int KvBits { get; init; } = 16;

    /// <summary>Bytes of each per-head scale when <see cref="KvBits"/> = 8.</summary>
    public int ScaleBytesPerHead { get; init; } = DefaultScaleBytesPerHead;

    /// <summary>Placement policy when the cache exceeds the capacity (default recent).</summary>
    public KvPlacementPolicy Policy { get; init; } = KvPlacementPolicy.Recent;

    /// <summary>Retention time t_ret in seconds: a row not restored (read, written or refreshed) within it loses data.</summary>
    public double RetentionSeconds { get; init; } = DefaultRetentionSeconds;

    /// <summary>
    /// True (default): the controller refreshes every row not restored within t_ret. False: decode reads are the only
    /// refresh (the pure decode-refresh premise); rows read after outliving t_ret are counted as retention violations
    /// and may take bit flips.
    /// </summary>
    public bool ExplicitRefresh { get; init; } = true;

    /// <summary>
    /// Probability that a stored '1' bit of a row that outlived t_ret unrefreshed reads back '0' (a leaked cell).
    /// Default 0: no flips. Only meaningful with <see cref="ExplicitRefresh"/> off [model choice; HW-REFERENCES.md §3.4
    /// notes log-normal per-cell retention].
    /// </summary>
    public double RetentionFailureProbability { get; init; }

    /// <summary>Seed of the retention-failure draws.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Rows on die (capacity / row size, rounded down).</summary>
    public long Rows => CapacityBytes / RowBytes;

    /// <summary>Checks every field; throws naming the first offending one.</summary>
    public DrEdramConfig Validate()
    {
        if (CapacityBytes < 0) throw new ArgumentException($"DR eDRAM: CapacityBytes = {CapacityBytes} must be >= 0");
        if (Banks <= 0) throw new ArgumentException($"DR eDRAM: Banks = {Banks} must be positive");
        if (RowBytes <= 0) throw new ArgumentException($"DR eDRAM: RowBytes = {RowBytes} must be positive");
        if (KvBits is not (8 or 16)) throw new ArgumentException($"DR eDRAM: KvBits = {KvBits} must be 8 or 16");
        if (ScaleBytesPerHead < 0) throw new ArgumentException($"DR eDRAM: ScaleBytesPerHead = {ScaleBytesPerHead} must be >= 0");
        if (!Enum.IsDefined(Policy)) throw new ArgumentException($"DR eDRAM: Policy = {Policy} is not a placement policy");
        if (!(RetentionSeconds > 0) || !double.IsFinite(RetentionSeconds))
            throw new ArgumentException($"DR eDRAM: RetentionSeconds = {RetentionSeconds} must be positive and finite");
        if (!(RetentionFailureProbability >= 0 && RetentionFailureProbability <= 1))
            throw new ArgumentException($"DR eDRAM: RetentionFailureProbability = {RetentionFailureProbability} must lie in [0, 1]");
        return this;
    }

    /// <summary>Parses a policy name (recent | first | layers), case-insensitive.</summary>
    public static KvPlacementPolicy ParsePolicy(string name) => name.ToLowerInvariant() switch
    {
        "recent" => KvPlacementPolicy.Recent,
        "first" => KvPlacementPolicy.First,
        "layers" => KvPlacementPolicy.Layers,
        _ => throw new ArgumentException($"unknown KV placement policy '{name}'; known: recent, first, layers"),
    };
}
