namespace BitRom.Hardware.Components;

/// <summary>
/// What the DR eDRAM did over a timeline: action counts and bytes, never joules (STYLE.md §2.4; the cost model
/// multiplies them by its energy table). Row counts are row activations of <see cref="DrEdramConfig.RowBytes"/>.
/// </summary>
public sealed record DrEdramCounts
{
    /// <summary>Token steps simulated.</summary>
    public int Steps { get; init; }
    /// <summary>Row activations for reads (each restores the row: the decode refresh).</summary>
    public long RowReads { get; init; }
    /// <summary>Row activations for writes of new KV entries.</summary>
    public long RowWrites { get; init; }
    /// <summary>Explicit refreshes the controller issued (rows not restored within t_ret).</summary>
    public long RefreshesIssued { get; init; }
    /// <summary>
    /// Refreshes a conventional controller would have issued: every live row every t_ret from its first write to the
    /// end of the session, regardless of reads (floor(live time / t_ret) per row).
    /// </summary>
    public long PeriodicRefreshBaseline { get; init; }
    /// <summary>Refreshes avoided by decode reads: <see cref="PeriodicRefreshBaseline"/> − <see cref="RefreshesIssued"/> (at least 0).</summary>
    public long RefreshesAvoided => Math.Max(0, PeriodicRefreshBaseline - RefreshesIssued);
    /// <summary>Row reads that found the row older than t_ret with no refresh (explicit refresh off).</summary>
    public long RetentionViolations { get; init; }
    /// <summary>Failed cells reported as bit flips on KV values.</summary>
    public long BitFlips { get; init; }
    /// <summary>KV bytes read from the eDRAM.</summary>
    public long EdramReadBytes { get; init; }
    /// <summary>KV bytes written into the eDRAM.</summary>
    public long EdramWriteBytes { get; init; }
    /// <summary>KV bytes written to external DRAM (entries placed there and entries evicted from the eDRAM).</summary>
    public long SpillWriteBytes { get; init; }
    /// <summary>KV bytes read from external DRAM (spilled entries, read at every step).</summary>
    public long SpillReadBytes { get; init; }
    /// <summary>KV bytes on die at the end.</summary>
    public long KvOnDieBytes { get; init; }
    /// <summary>KV bytes in DRAM at the end.</summary>
    public long KvSpilledBytes { get; init; }
    /// <summary>Rows holding live KV data at the end.</summary>
    public long LiveRows { get; init; }
    /// <summary>Row activations (reads + writes + refreshes) per bank, row r in bank r mod Banks.</summary>
    public IReadOnlyList<long> BankActivations { get; init; } = [];

    /// <summary>Counters by action name, for the cost model (the convention of the chip's <c>EventCounts.ToDictionary</c>).</summary>
    public IReadOnlyDictionary<string, long> ToDictionary() => new Dictionary<string, long>
    {
        ["EdramRowRead"] = RowReads, ["EdramRowWrite"] = RowWrites, ["EdramRefresh"] = RefreshesIssued,
        ["EdramRefreshAvoided"] = RefreshesAvoided, ["EdramRetentionViolation"] = RetentionViolations, ["EdramBitFlip"] = BitFlips,
        ["EdramReadBytes"] = EdramReadBytes, ["EdramWriteBytes"] = EdramWriteBytes,
        ["DramKvReadBytes"] = SpillReadBytes, ["DramKvWriteBytes"] = SpillWriteBytes,
    };
}

/// <summary>A retention failure on a stored K or V value: the bit <see cref="Bit"/> of element <see cref="Element"/> read back as 0.</summary>
/// <param name="Layer">Block.</param>
/// <param name="Position">Token position.</param>
/// <param name="IsValue">V (true) or K (false).</param>
/// <param name="Element">Index in the KvDim-wide K or V vector.</param>
/// <param name="Bit">Bit of the stored code: 0..15 of the 16-bit value (little-endian) or 0..7 of the int8 code.</param>
public readonly record struct KvRetentionFlip(int Layer, int Position, bool IsValue, int Element, int Bit);
