using BitRom.Hardware.Components;

namespace BitRom.Hardware.Cost;

/// <summary>
/// Adapter onto the DR eDRAM model (<see cref="DrEdramLayout"/>, DESIGN.md §5.6): where each token's KV lives and
/// what each step moves. A step with <c>prior</c> cached tokens reads all of them and writes one new entry.
/// </summary>
public static class KvPlacement
{
    /// <summary>The DR eDRAM parameters of <paramref name="arch"/>.</summary>
    public static DrEdramConfig EdramConfig(ChipArchitecture arch) => new()
    {
        CapacityBytes = arch.EdramBytes, Banks = arch.EdramBanks, KvBits = arch.KvBits, Policy = arch.Policy, RetentionSeconds = arch.TRetMs * 1e-3,
    };

    /// <summary>The layout planned for <paramref name="maxContext"/> positions.</summary>
    public static DrEdramLayout Layout(ModelShape shape, ChipArchitecture arch, int maxContext) =>
        new(EdramConfig(arch), new KvShape(shape.Layers, shape.KvHeads, shape.HeadDim), maxContext);

    /// <summary>Bytes of one KV entry (one layer, one position, K and V, with INT8 scales).</summary>
    public static long EntryBytes(ModelShape shape, ChipArchitecture arch) =>
        new KvShape(shape.Layers, shape.KvHeads, shape.HeadDim).EntryBytes(arch.KvBits, DrEdramConfig.DefaultScaleBytesPerHead);

    /// <summary>Tokens per layer that fit on die under recent/first policies.</summary>
    public static long WindowTokens(ModelShape shape, ChipArchitecture arch) =>
        arch.EdramBytes <= 0 ? 0 : arch.EdramBytes / (shape.Layers * EntryBytes(shape, arch));

    /// <summary>Layers kept whole on die under the layers policy, for contexts up to <paramref name="maxContext"/>.</summary>
    public static int OnDieLayers(ModelShape shape, ChipArchitecture arch, int maxContext) => Layout(shape, arch, maxContext).LayersOnDie;

    /// <summary>Traffic of one step that finds <paramref name="prior"/> tokens cached and appends one.</summary>
    public static KvStepBytes Step(ModelShape shape, ChipArchitecture arch, long prior, int maxContext) =>
        Step(Layout(shape, arch, maxContext), arch, prior);

    /// <summary>Traffic of one step on a planned layout (no eDRAM: the baseline step).</summary>
    public static KvStepBytes Step(DrEdramLayout layout, ChipArchitecture arch, long prior) =>
        arch.EdramBytes > 0 ? layout.Step((int)prior) : layout.BaselineStep((int)prior);

    /// <summary>Sum of steps with prior = <paramref name="firstPrior"/> .. firstPrior + steps - 1.</summary>
    public static KvStepBytes Phase(ModelShape shape, ChipArchitecture arch, long firstPrior, int steps, int maxContext)
    {
        DrEdramLayout layout = Layout(shape, arch, maxContext);
        KvStepBytes sum = default;
        for (int i = 0; i < steps; i++) sum += Step(layout, arch, firstPrior + i);
        return sum;
    }
}
