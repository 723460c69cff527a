namespace BitRom.Hardware.Cost;

/// <summary>KV-cache bytes of one phase (prefill or decode), by where they went (DESIGN.md §5.6).</summary>
public sealed record KvTraffic
{
    /// <summary>KV bytes read from external DRAM (spilled entries).</summary>
    public double DramReadBytes { get; init; }
    /// <summary>KV bytes written to external DRAM (direct writes and evictions).</summary>
    public double DramWriteBytes { get; init; }
    /// <summary>KV bytes read from the DR eDRAM.</summary>
    public double EdramReadBytes { get; init; }
    /// <summary>KV bytes written to the DR eDRAM.</summary>
    public double EdramWriteBytes { get; init; }

    /// <summary>Sum of two phases.</summary>
    public static KvTraffic operator +(KvTraffic a, KvTraffic b) => new()
    {
        DramReadBytes = a.DramReadBytes + b.DramReadBytes, DramWriteBytes = a.DramWriteBytes + b.DramWriteBytes,
        EdramReadBytes = a.EdramReadBytes + b.EdramReadBytes, EdramWriteBytes = a.EdramWriteBytes + b.EdramWriteBytes,
    };
}

/// <summary>
/// Where each token's KV lives and what each step moves (DESIGN.md §5.6) — analytic. A step with
/// <c>prior</c> cached tokens reads all of them (decode attention) and writes one new token.
/// </summary>
public static class KvPlacement
{
    /// <summary>Tokens (all layers) that fit on die under recent/first policies.</summary>
    public static long WindowTokens(ModelShape shape, ChipArchitecture arch) =>
        arch.EdramBytes <= 0 ? 0 : (long)Math.Floor(arch.EdramBytes / shape.KvBytesPerToken(arch.KvBits));

    /// <summary>Layers kept whole on die under the layers policy, for contexts up to <paramref name="maxContext"/>.</summary>
    public static int OnDieLayers(ModelShape shape, ChipArchitecture arch, int maxContext) =>
        arch.EdramBytes <= 0 ? 0 : (int)Math.Min(shape.Layers, Math.Floor(arch.EdramBytes / (shape.KvBytesPerToken(arch.KvBits) / shape.Layers * maxContext)));

    /// <summary>Traffic of one step that finds <paramref name="prior"/> tokens cached and appends one.</summary>
    public static KvTraffic Step(ModelShape shape, ChipArchitecture arch, long prior, int maxContext)
    {
        double tok = shape.KvBytesPerToken(arch.KvBits);
        if (arch.EdramBytes <= 0) return new KvTraffic { DramReadBytes = prior * tok, DramWriteBytes = tok };
        if (arch.Policy == EdramPolicy.Layers)
        {
            double share = (double)OnDieLayers(shape, arch, maxContext) / shape.Layers;
            return new KvTraffic
            {
                EdramReadBytes = prior * tok * share, DramReadBytes = prior * tok * (1 - share),
                EdramWriteBytes = tok * share, DramWriteBytes = tok * (1 - share),
            };
        }
        long w = WindowTokens(shape, arch);
        long onDie = Math.Min(prior, w), off = prior - onDie;
        bool full = prior >= w;
        return arch.Policy switch
        {
            // recent: the new token enters the eDRAM; when full the oldest on-die token is evicted to DRAM
            EdramPolicy.Recent => new KvTraffic
            {
                EdramReadBytes = onDie * tok, DramReadBytes = off * tok,
                EdramWriteBytes = w > 0 ? tok : 0, DramWriteBytes = full ? tok : 0,
            },
            // first: the first w tokens stay; later ones are written to DRAM directly
            _ => new KvTraffic
            {
                EdramReadBytes = onDie * tok, DramReadBytes = off * tok,
                EdramWriteBytes = full ? 0 : tok, DramWriteBytes = full ? tok : 0,
            },
        };
    }

    /// <summary>Sum of steps with prior = <paramref name="firstPrior"/> .. firstPrior + steps - 1.</summary>
    public static KvTraffic Phase(ModelShape shape, ChipArchitecture arch, long firstPrior, int steps, int maxContext)
    {
        var sum = new KvTraffic();
        for (int i = 0; i < steps; i++) sum += Step(shape, arch, firstPrior + i, maxContext);
        return sum;
    }
}
