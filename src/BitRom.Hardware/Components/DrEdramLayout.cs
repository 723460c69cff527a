namespace BitRom.Hardware.Components;

/// <summary>
/// Where each KV entry (layer, position) lives under a placement policy, and the per-step traffic it implies.
/// On-die entries are packed back to back from address 0 (a slot = one entry of <see cref="EntryBytes"/>), so an
/// entry may straddle rows and a row may hold parts of several entries [model choice].
/// </summary>
public sealed class DrEdramLayout
{
    /// <summary>Plans the layout for a session that writes <paramref name="plannedPositions"/> positions per layer.</summary>
    public DrEdramLayout(DrEdramConfig config, KvShape shape, int plannedPositions)
    {
        Config = config.Validate();
        Shape = shape.Validate();
        if (plannedPositions < 0) throw new ArgumentException($"planned positions {plannedPositions} must be >= 0");
        PlannedPositions = plannedPositions;
        EntryBytes = shape.EntryBytes(config.KvBits, config.ScaleBytesPerHead);
        if (config.Policy == KvPlacementPolicy.Layers)
        {
            // whole layers: each needs all planned positions on die
            long perLayer = plannedPositions * EntryBytes;
            LayersOnDie = perLayer == 0 ? shape.Layers : (int)Math.Min(shape.Layers, config.CapacityBytes / perLayer);
            SlotsPerLayer = plannedPositions;
        }
        else
        {
            // an equal window per layer: every decode step reads every layer alike
            SlotsPerLayer = (int)Math.Min(plannedPositions, config.CapacityBytes / (shape.Layers * EntryBytes));
            LayersOnDie = SlotsPerLayer > 0 ? shape.Layers : 0;
        }
    }

    /// <summary>eDRAM parameters.</summary>
    public DrEdramConfig Config { get; }
    /// <summary>KV shape.</summary>
    public KvShape Shape { get; }
    /// <summary>Positions the layout was planned for (the <c>layers</c> policy reserves them all).</summary>
    public int PlannedPositions { get; }
    /// <summary>Bytes of one KV entry (one layer, one position, K and V).</summary>
    public long EntryBytes { get; }
    /// <summary>On-die slots of an on-die layer (the window for recent / first; all planned positions for layers).</summary>
    public int SlotsPerLayer { get; }
    /// <summary>Layers with slots on die.</summary>
    public int LayersOnDie { get; }
    /// <summary>Bytes of the slots in use when full.</summary>
    public long UsedBytes => (long)LayersOnDie * SlotsPerLayer * EntryBytes;
    /// <summary>Rows holding slots when full.</summary>
    public long UsedRows => (UsedBytes + Config.RowBytes - 1) / Config.RowBytes;

    /// <summary>
    /// The on-die slot (0..SlotsPerLayer−1) of entry (<paramref name="layer"/>, <paramref name="pos"/>) once entries
    /// 0..<paramref name="newest"/> have been written, or −1 when it lives in DRAM.
    /// </summary>
    public int SlotOf(int layer, int pos, int newest)
    {
        if (layer >= LayersOnDie || SlotsPerLayer == 0) return -1;
        return Config.Policy switch
        {
            KvPlacementPolicy.Recent => pos > newest - SlotsPerLayer ? pos % SlotsPerLayer : -1,
            KvPlacementPolicy.First => pos < SlotsPerLayer ? pos : -1,
            _ => pos < SlotsPerLayer ? pos : -1,
        };
    }

    /// <summary>Byte address of <paramref name="slot"/> of <paramref name="layer"/>.</summary>
    public long SlotAddress(int layer, int slot) => ((long)layer * SlotsPerLayer + slot) * EntryBytes;

    /// <summary>Of the first <paramref name="count"/> positions of one layer, how many are on die.</summary>
    public int OnDieEntries(int layer, int count) => layer >= LayersOnDie ? 0 : Math.Min(count, SlotsPerLayer);

    /// <summary>
    /// KV bytes moved by the step at position <paramref name="p"/> (reads the p cached entries of every layer, then
    /// writes entry p), summed over layers. The closed form the event simulation (<see cref="DrEdram"/>) must agree with.
    /// </summary>
    public KvStepBytes Step(int p)
    {
        long edramRead = 0, edramWrite = 0, dramRead = 0, dramWrite = 0;
        for (int l = 0; l < Shape.Layers; l++)
        {
            int onDie = OnDieEntries(l, p);
            edramRead += onDie;
            dramRead += p - onDie;
            bool newOnDie = SlotOf(l, p, p) >= 0;
            if (newOnDie) edramWrite++;
            else dramWrite++;
            // recent: the window is full, so the oldest entry is evicted (spilled) to DRAM
            if (newOnDie && Config.Policy == KvPlacementPolicy.Recent && p >= SlotsPerLayer) dramWrite++;
        }
        return new KvStepBytes(edramRead * EntryBytes, edramWrite * EntryBytes, dramRead * EntryBytes, dramWrite * EntryBytes);
    }

    /// <summary>The same step without DR eDRAM: every KV read and write goes to DRAM.</summary>
    public KvStepBytes BaselineStep(int p) => new(0, 0, (long)Shape.Layers * p * EntryBytes, Shape.Layers * EntryBytes);
}

/// <summary>KV bytes of one token step by level and direction.</summary>
public readonly record struct KvStepBytes(long EdramReadBytes, long EdramWriteBytes, long DramReadBytes, long DramWriteBytes)
{
    /// <summary>Sum of two steps.</summary>
    public static KvStepBytes operator +(KvStepBytes a, KvStepBytes b) =>
        new(a.EdramReadBytes + b.EdramReadBytes, a.EdramWriteBytes + b.EdramWriteBytes, a.DramReadBytes + b.DramReadBytes, a.DramWriteBytes + b.DramWriteBytes);
}
