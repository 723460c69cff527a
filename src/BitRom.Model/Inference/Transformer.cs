using BitRom.Model.Architectures;
using BitRom.Numerics.Floats;
using BitRom.Numerics.Kernels;

namespace BitRom.Model.Inference;

/// <summary>
/// A model ready to run: blueprint, weights, backend, KV cache. <see cref="Forward"/> reads top to bottom:
/// embed, blocks, final norm, head.
/// </summary>
public sealed class Transformer
{
    private readonly ForwardContext _ctx;
    private readonly IBlock _block;
    private float[] _logits = [];

    /// <summary>
    /// Builds a runnable model with a KV cache of <paramref name="contextLength"/> positions (default: the model's maximum,
    /// at most 4,096) storing <paramref name="kvBits"/> per value (16 exact, or 8 with per-head scales).
    /// </summary>
    public Transformer(ModelConfig config, ModelWeights weights, IMatmulBackend? backend = null, int contextLength = 0, int kvBits = KvCache.DefaultKvBits)
    {
        Config = config.Validate();
        weights.Validate(config);
        Weights = weights;
        Backend = backend ?? ReferenceBackend.Instance;
        ContextLength = contextLength > 0 ? Math.Min(contextLength, config.MaxSeqLen) : Math.Min(config.MaxSeqLen, 4096);
        _block = config.Family == ModelFamily.Falcon3 ? Falcon3.Instance : BitNetB158.Instance;
        var rope = new Rope(config.HeadDim, ContextLength, config.RopeTheta, config.Rope);
        _ctx = new ForwardContext(config, Backend, new KvCache(config.Layers, ContextLength, config.KvDim, kvBits, config.HeadDim), rope);
    }

    /// <summary>Blueprint.</summary>
    public ModelConfig Config { get; }
    /// <summary>Weights.</summary>
    public ModelWeights Weights { get; }
    /// <summary>Matrix products.</summary>
    public IMatmulBackend Backend { get; }
    /// <summary>Positions the KV cache holds.</summary>
    public int ContextLength { get; }
    /// <summary>The KV cache.</summary>
    public KvCache Cache => _ctx.Cache;

    /// <summary>BitLinear activation handling (default <see cref="BitLinearMode.Int8"/>; float activations for the llama.cpp F32 cross-check).</summary>
    public BitLinearMode LinearMode { get => _ctx.LinearMode; set => _ctx.LinearMode = value; }

    /// <summary>Observer of named activations (<see cref="ActivationTap"/>); null for none.</summary>
    public ActivationTap? Tap { get => _ctx.Tap; set => _ctx.Tap = value; }

    /// <summary>Adds to BitLinear outputs (LoRA, <see cref="ILinearAdapter"/>); null for none. Never changes the weights.</summary>
    public ILinearAdapter? Adapter { get => _ctx.Adapter; set => _ctx.Adapter = value; }

    /// <summary>
    /// Runs <paramref name="tokens"/> at positions startPos.. and returns logits: (tokens, VocabSize) when
    /// <paramref name="allLogits"/>, else only the last token's (VocabSize). The span is valid until the next call.
    /// Positions before startPos must already be in the cache.
    /// </summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<int> tokens, int startPos, bool allLogits = false)
    {
        ModelConfig c = Config;
        int T = tokens.Length;
        if (T == 0) throw new ArgumentException("no tokens to run");
        if (startPos < 0 || startPos + T > ContextLength)
            throw new InvalidOperationException($"positions {startPos}..{startPos + T - 1} exceed the context length {ContextLength}");
        _ctx.Begin(T, startPos);

        // token embedding
        _ctx.Layer = -1;
        for (int t = 0; t < T; t++)
        {
            if ((uint)tokens[t] >= (uint)c.VocabSize) throw new ArgumentException($"token id {tokens[t]} at index {t} outside the vocabulary of {c.VocabSize}");
            Weights.Embedding.DecodeRow(tokens[t], _ctx.X.AsSpan(t * c.Dim, c.Dim));
        }
        _ctx.Emit("token_embd", _ctx.X, c.Dim);

        // the blocks
        for (int l = 0; l < c.Layers; l++)
        {
            _ctx.Layer = l;
            _block.Forward(_ctx, Weights.Layers[l]);
        }

        // final rmsnorm and the head (tied or untied), for the rows asked for
        _ctx.Layer = -1;
        _ctx.Norm(_ctx.X, Weights.OutputNorm, _ctx.Xb, "output_norm");
        int first = allLogits ? 0 : T - 1, rows = T - first;
        if (_logits.Length < rows * c.VocabSize) _logits = new float[rows * c.VocabSize];
        Backend.Dense(Weights.Head, _ctx.Xb.AsSpan(first * c.Dim, rows * c.Dim), rows, _logits);
        return _logits.AsSpan(0, rows * c.VocabSize);
    }
}
