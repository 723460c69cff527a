namespace BitRom.Model.Architectures;

/// <summary>Named model shapes (DESIGN.md §2), with the source of each config.</summary>
public static class Presets
{
    /// <summary>microsoft/bitnet-b1.58-2B-4T config.json (FORMATS.md §2.1).</summary>
    public static readonly ModelConfig BitNet2B4T = new()
    {
        Name = "bitnet-b1.58-2b-4t", Family = ModelFamily.BitNetB158,
        Dim = 2560, Layers = 30, Heads = 20, KvHeads = 5, HeadDim = 128, HiddenDim = 6912,
        VocabSize = 128256, MaxSeqLen = 4096, RopeTheta = 500000, NormEps = 1e-5f,
        Activation = FfnActivation.Relu2, SubNorms = true, TiedEmbeddings = true, BosToken = 128000, EosToken = 128001,
    };

    /// <summary>tiiuae/Falcon3-1B-Instruct-1.58bit config.json (FORMATS.md §2.2).</summary>
    public static readonly ModelConfig Falcon3_1B = Falcon3("falcon3-1b-1.58bit", dim: 2048, layers: 18, heads: 8, hidden: 8192, maxPos: 8192);

    /// <summary>tiiuae/Falcon3-3B-Base-1.58bit config.json (FORMATS.md §2.2).</summary>
    public static readonly ModelConfig Falcon3_3B = Falcon3("falcon3-3b-1.58bit", dim: 3072, layers: 22, heads: 12, hidden: 9216, maxPos: 4096);

    /// <summary>tiiuae/Falcon3-7B-Base-1.58bit config.json (FORMATS.md §2.2).</summary>
    public static readonly ModelConfig Falcon3_7B = Falcon3("falcon3-7b-1.58bit", dim: 3072, layers: 28, heads: 12, hidden: 23040, maxPos: 8192);

    /// <summary>tiiuae/Falcon3-10B-Base-1.58bit config.json (FORMATS.md §2.2).</summary>
    public static readonly ModelConfig Falcon3_10B = Falcon3("falcon3-10b-1.58bit", dim: 3072, layers: 40, heads: 12, hidden: 23040, maxPos: 32768);

    /// <summary>1bitLLM/bitnet_b1_58-large config.json (FORMATS.md §2.3); max_position_embeddings 2048 as in that config.</summary>
    public static readonly ModelConfig BitNetLarge = OneBit("bitnet-b1.58-large", dim: 1536, layers: 24, heads: 16, hidden: 4096);

    /// <summary>1bitLLM/bitnet_b1_58-3B config.json (FORMATS.md §2.3).</summary>
    public static readonly ModelConfig BitNet3B = OneBit("bitnet-b1.58-3b", dim: 3200, layers: 26, heads: 32, hidden: 8640);

    /// <summary>
    /// LLaMA-7B (Touvron et al. 2023, Table 2: dim 4096, 32 layers, 32 heads; intermediate 11008, vocab 32000,
    /// rms eps 1e-6 from the HF config) with every linear ternary: the paper's ">1,000 cm²" example (PAPER-NOTES.md §9).
    /// </summary>
    public static readonly ModelConfig Llama7BTernary = new()
    {
        Name = "llama-7b-ternary", Family = ModelFamily.Falcon3,
        Dim = 4096, Layers = 32, Heads = 32, KvHeads = 32, HeadDim = 128, HiddenDim = 11008,
        VocabSize = 32000, MaxSeqLen = 2048, RopeTheta = 10000, NormEps = 1e-6f,
        Activation = FfnActivation.Silu, SubNorms = false, TiedEmbeddings = false, BosToken = 1, EosToken = 2,
    };

    /// <summary>Test model of the 2B4T family: every feature (GQA 2:1, sub-norms, ReLU², tied), small and fast.</summary>
    public static readonly ModelConfig Tiny = new()
    {
        Name = "tiny", Family = ModelFamily.BitNetB158,
        Dim = 64, Layers = 2, Heads = 4, KvHeads = 2, HeadDim = 16, HiddenDim = 160,
        VocabSize = 320, MaxSeqLen = 128, RopeTheta = 10000, NormEps = 1e-5f,
        Activation = FfnActivation.Relu2, SubNorms = true, TiedEmbeddings = true, BosToken = 256, EosToken = 257,
    };

    /// <summary>Test model of the Falcon3 family (untied, SwiGLU, no sub-norms, HeadDim 32 like Falcon3's wide heads).</summary>
    public static readonly ModelConfig TinyFalcon3 = Tiny with
    {
        Name = "tiny-falcon3", Family = ModelFamily.Falcon3, HeadDim = 32, Heads = 2, KvHeads = 1,
        Activation = FfnActivation.Silu, SubNorms = false, TiedEmbeddings = false,
    };

    /// <summary>Test model of the 1bitLLM family (MHA, sub-norms, SiLU, tied).</summary>
    public static readonly ModelConfig TinyOneBit = Tiny with
    {
        Name = "tiny-1bitllm", Family = ModelFamily.OneBitLlm, KvHeads = 4, Activation = FfnActivation.Silu,
    };

    /// <summary>Every named shape, in the order of DESIGN.md §2, then the test models.</summary>
    public static IReadOnlyList<ModelConfig> All { get; } =
        [BitNet2B4T, Falcon3_1B, Falcon3_3B, Falcon3_7B, Falcon3_10B, BitNetLarge, BitNet3B, Llama7BTernary, Tiny, TinyFalcon3, TinyOneBit];

    /// <summary>Looks a shape up by name (case-insensitive); throws listing the known names.</summary>
    public static ModelConfig Get(string name) =>
        All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown arch '{name}'; known: {string.Join(", ", All.Select(c => c.Name))}");

    private static ModelConfig Falcon3(string name, int dim, int layers, int heads, int hidden, int maxPos) => new()
    {
        Name = name, Family = ModelFamily.Falcon3,
        Dim = dim, Layers = layers, Heads = heads, KvHeads = 4, HeadDim = 256, HiddenDim = hidden,
        VocabSize = 131072, MaxSeqLen = maxPos, RopeTheta = 1000042, NormEps = 1e-6f,
        Activation = FfnActivation.Silu, SubNorms = false, TiedEmbeddings = false, BosToken = 11, EosToken = 11,
    };

    private static ModelConfig OneBit(string name, int dim, int layers, int heads, int hidden) => new()
    {
        Name = name, Family = ModelFamily.OneBitLlm,
        Dim = dim, Layers = layers, Heads = heads, KvHeads = heads, HeadDim = dim / heads, HiddenDim = hidden,
        VocabSize = 32002, MaxSeqLen = 2048, RopeTheta = 10000, NormEps = 1e-5f,
        Activation = FfnActivation.Silu, SubNorms = true, TiedEmbeddings = true, BosToken = 1, EosToken = 2,
    };
}
