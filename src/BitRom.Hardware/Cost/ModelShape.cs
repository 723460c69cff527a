namespace BitRom.Hardware.Cost;

/// <summary>
/// The shape of a ternary LLM as the cost model needs it: a plain record (Hardware never references
/// Model; the CLI converts a model config into this).
/// </summary>
public sealed record ModelShape(
    string Name, int Layers, int Dim, int Heads, int KvHeads, int HeadDim, int HiddenDim, int Vocab,
    double ZeroFraction, bool SubNorms, bool TiedEmbeddings)
{
    /// <summary>Query width.</summary>
    public int QDim => Heads * HeadDim;

    /// <summary>Key/value width.</summary>
    public int KvDim => KvHeads * HeadDim;

    /// <summary>The seven ternary matrices of one block, [N_out x K_in], with their concurrency stage (DESIGN.md §5.4).</summary>
    public IReadOnlyList<LayerMatrix> Matrices =>
    [
        new("q_proj", QDim, Dim, "qkv"), new("k_proj", KvDim, Dim, "qkv"), new("v_proj", KvDim, Dim, "qkv"),
        new("o_proj", Dim, QDim, "o"),
        new("gate_proj", HiddenDim, Dim, "gate_up"), new("up_proj", HiddenDim, Dim, "gate_up"),
        new("down_proj", Dim, HiddenDim, "down"),
    ];

    /// <summary>Ternary weights in all BitLinears.</summary>
    public long TernaryWeights => Layers * Matrices.Sum(m => (long)m.Out * m.In);

    /// <summary>KV bytes per token over all layers at <paramref name="kvBits"/>.</summary>
    public double KvBytesPerToken(int kvBits) => Layers * 2.0 * KvDim * kvBits / 8;

    /// <summary>Throws naming the first bad field.</summary>
    public ModelShape Validate()
    {
        foreach (var (v, n) in new[] { (Layers, "Layers"), (Dim, "Dim"), (Heads, "Heads"), (KvHeads, "KvHeads"), (HeadDim, "HeadDim"), (HiddenDim, "HiddenDim"), (Vocab, "Vocab") })
            if (v <= 0) throw new ArgumentException($"model shape {Name}: {n} = {v} must be positive");
        if (!(ZeroFraction >= 0 && ZeroFraction <= 1)) throw new ArgumentException($"model shape {Name}: ZeroFraction = {ZeroFraction} must be in [0, 1]");
        return this;
    }
}

/// <summary>One ternary matrix W [Out x In] and the stage it runs in.</summary>
public sealed record LayerMatrix(string Name, int Out, int In, string Stage);

/// <summary>Prompt and generation lengths of a request (batch 1).</summary>
public sealed record Workload(int PromptLen, int GenLen)
{
    /// <summary>Throws on a non-positive length.</summary>
    public Workload Validate()
    {
        if (PromptLen < 1 || GenLen < 1) throw new ArgumentException($"workload: prompt length {PromptLen} and generation length {GenLen} must be >= 1");
        return this;
    }
}
