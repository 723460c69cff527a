using BitRom.Numerics.Floats;

namespace BitRom.Model.Architectures;

/// <summary>The three BitNet b1.58 families the engine runs (FORMATS.md §2).</summary>
public enum ModelFamily
{
    /// <summary>microsoft/bitnet-b1.58-2B-4T style: sub-norms before o_proj and down_proj, ReLU² gate, tied embeddings, <c>autobitlinear</c>.</summary>
    BitNetB158,
    /// <summary>tiiuae Falcon3-*-1.58bit: plain Llama block, SwiGLU, untied lm_head, <c>bitlinear</c>.</summary>
    Falcon3,
    /// <summary>1bitLLM bitnet_b1_58-large/3B: sub-norms, SiLU gate, fp16 master weights ternarized online.</summary>
    OneBitLlm,
}

/// <summary>Gate non-linearity of the gated FFN: act(gate) · up.</summary>
public enum FfnActivation
{
    /// <summary>silu(g) = g·sigmoid(g) (SwiGLU).</summary>
    Silu,
    /// <summary>relu(g)² (2B4T <c>hidden_act: relu2</c>).</summary>
    Relu2,
}

/// <summary>
/// The blueprint of a model: every shape and numeric convention, immutable (llama2.c <c>Config</c>).
/// </summary>
public sealed record ModelConfig
{
    /// <summary>Name, e.g. <c>bitnet-b1.58-2b-4t</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Architecture family: decides the block wiring.</summary>
    public required ModelFamily Family { get; init; }

    /// <summary>Model width (hidden_size).</summary>
    public required int Dim { get; init; }

    /// <summary>Transformer blocks.</summary>
    public required int Layers { get; init; }

    /// <summary>Query heads.</summary>
    public required int Heads { get; init; }

    /// <summary>Key/value heads (GQA when fewer than <see cref="Heads"/>).</summary>
    public required int KvHeads { get; init; }

    /// <summary>Per-head dimension (Falcon3 uses 256 with Dim/Heads = 256 too).</summary>
    public required int HeadDim { get; init; }

    /// <summary>FFN width (intermediate_size).</summary>
    public required int HiddenDim { get; init; }

    /// <summary>Vocabulary size (rows of the embedding table and the head).</summary>
    public required int VocabSize { get; init; }

    /// <summary>Maximum context (max_position_embeddings).</summary>
    public required int MaxSeqLen { get; init; }

    /// <summary>RoPE base.</summary>
    public required double RopeTheta { get; init; }

    /// <summary>RoPE pairing (HF rotate-half = GGUF NEOX; GGUF llama arch = interleaved with permuted q/k).</summary>
    public RopeStyle Rope { get; init; } = RopeStyle.Neox;

    /// <summary>RMSNorm epsilon.</summary>
    public required float NormEps { get; init; }

    /// <summary>FFN gate activation.</summary>
    public required FfnActivation Activation { get; init; }

    /// <summary>Sub-norms before o_proj (attn_sub_norm, width Heads·HeadDim) and down_proj (ffn_sub_norm, width HiddenDim).</summary>
    public required bool SubNorms { get; init; }

    /// <summary>lm_head reuses the embedding table.</summary>
    public required bool TiedEmbeddings { get; init; }

    /// <summary>Beginning-of-sequence token, or −1.</summary>
    public int BosToken { get; init; } = -1;

    /// <summary>End-of-sequence token, or −1.</summary>
    public int EosToken { get; init; } = -1;

    /// <summary>Query width = Heads · HeadDim.</summary>
    public int QDim => Heads * HeadDim;

    /// <summary>Key/value width = KvHeads · HeadDim.</summary>
    public int KvDim => KvHeads * HeadDim;

    /// <summary>Checks every field; throws naming the first offending one.</summary>
    public ModelConfig Validate()
    {
        static void Positive(int v, string name)
        {
            if (v <= 0) throw new ArgumentException($"model config: {name} = {v} must be positive");
        }
        Positive(Dim, nameof(Dim));
        Positive(Layers, nameof(Layers));
        Positive(Heads, nameof(Heads));
        Positive(KvHeads, nameof(KvHeads));
        Positive(HeadDim, nameof(HeadDim));
        Positive(HiddenDim, nameof(HiddenDim));
        Positive(VocabSize, nameof(VocabSize));
        Positive(MaxSeqLen, nameof(MaxSeqLen));
        if (Heads % KvHeads != 0) throw new ArgumentException($"model config: Heads = {Heads} is not a multiple of KvHeads = {KvHeads}");
        if (HeadDim % 2 != 0) throw new ArgumentException($"model config: HeadDim = {HeadDim} must be even for RoPE");
        if (!(RopeTheta > 0) || double.IsInfinity(RopeTheta)) throw new ArgumentException($"model config: RopeTheta = {RopeTheta} must be positive");
        if (!(NormEps > 0) || !float.IsFinite(NormEps)) throw new ArgumentException($"model config: NormEps = {NormEps} must be positive");
        if (BosToken >= VocabSize || EosToken >= VocabSize) throw new ArgumentException($"model config: BOS {BosToken} / EOS {EosToken} outside vocabulary {VocabSize}");
        return this;
    }
}
