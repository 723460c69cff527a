using BitRom.Model.Architectures;
using BitRom.Numerics.Floats;
using BitRom.Numerics.Kernels;
using BitRom.Numerics.Ternary;

namespace BitRom.Model.Inference;

/// <summary>
/// The steps a block is built from, over the mutable buffers of one forward call (llama2.c <c>RunState</c>).
/// Every buffer holds <see cref="Tokens"/> rows; shapes are in the field comments.
/// </summary>
public sealed class ForwardContext
{
    private static readonly string[] QkvNames = ["attn_q", "attn_k", "attn_v"];
    private static readonly string[] GateUpNames = ["ffn_gate", "ffn_up"];
    private readonly BitLinear _bitLinear = new();
    private readonly TernaryMatrix[] _shared = new TernaryMatrix[3];
    private readonly float[][] _sharedOut = new float[3][];
    private readonly Attention _attention;

    internal ForwardContext(ModelConfig config, IMatmulBackend backend, KvCache cache, Rope rope)
    {
        Config = config;
        Backend = backend;
        Cache = cache;
        Rope = rope;
        _attention = new Attention(this);
    }

    /// <summary>Blueprint.</summary>
    public ModelConfig Config { get; }
    /// <summary>Matrix products.</summary>
    public IMatmulBackend Backend { get; }
    /// <summary>K/V of all earlier positions.</summary>
    public KvCache Cache { get; }
    /// <summary>Rotary table.</summary>
    public Rope Rope { get; }
    /// <summary>Observer of named activations, or null.</summary>
    public ActivationTap? Tap { get; set; }
    /// <summary>Correction added to BitLinear outputs (LoRA), or null.</summary>
    public ILinearAdapter? Adapter { get; set; }

    /// <summary>Rows in flight.</summary>
    public int Tokens { get; private set; }
    /// <summary>Position of row 0.</summary>
    public int StartPos { get; private set; }
    /// <summary>Block being run.</summary>
    public int Layer { get; set; }

    /// <summary>Residual stream, (Tokens, Dim).</summary>
    public float[] X = [];
    /// <summary>Scratch of model width, (Tokens, Dim).</summary>
    public float[] Xb = [];
    /// <summary>Queries, then attention output, (Tokens, QDim).</summary>
    public float[] Q = [];
    /// <summary>Attention output, (Tokens, QDim).</summary>
    public float[] Att = [];
    /// <summary>Keys, (Tokens, KvDim).</summary>
    public float[] K = [];
    /// <summary>Values, (Tokens, KvDim).</summary>
    public float[] V = [];
    /// <summary>FFN gate, then activated product, (Tokens, HiddenDim).</summary>
    public float[] Hb = [];
    /// <summary>FFN up, (Tokens, HiddenDim).</summary>
    public float[] Hb2 = [];

    internal void Begin(int tokens, int startPos)
    {
        Tokens = tokens;
        StartPos = startPos;
        ModelConfig c = Config;
        Grow(ref X, tokens * c.Dim);
        Grow(ref Xb, tokens * c.Dim);
        Grow(ref Q, tokens * c.QDim);
        Grow(ref Att, tokens * c.QDim);
        Grow(ref K, tokens * c.KvDim);
        Grow(ref V, tokens * c.KvDim);
        Grow(ref Hb, tokens * c.HiddenDim);
        Grow(ref Hb2, tokens * c.HiddenDim);
    }

    /// <summary>dst_t = RMSNorm(src_t) · weight for every row of width weight.Length; dst may be src.</summary>
    public void Norm(float[] src, float[] weight, float[] dst, string name)
    {
        int n = weight.Length;
        for (int t = 0; t < Tokens; t++)
            FloatOps.RmsNorm(src.AsSpan(t * n, n), weight, Config.NormEps, dst.AsSpan(t * n, n));
        Emit(name, dst, n);
    }

    /// <summary>BitLinear activation handling: <see cref="BitLinearMode.Int8"/> (default) or the float reference of the llama.cpp cross-check.</summary>
    public BitLinearMode LinearMode { get; set; }

    /// <summary>dst = BitLinear(w, src) (DESIGN.md §4) through the backend; in <see cref="BitLinearMode.FloatActivations"/> the float reference.</summary>
    public void Linear(TernaryMatrix w, float[] src, float[] dst, string name)
    {
        if (LinearMode == BitLinearMode.FloatActivations) BitLinear.ForwardFloat(w, src.AsSpan(0, Tokens * w.Cols), Tokens, dst);
        else _bitLinear.Forward(Backend, w, src.AsSpan(0, Tokens * w.Cols), Tokens, dst);
        Adapter?.Apply(Layer, name, src.AsSpan(0, Tokens * w.Cols), Tokens, dst.AsSpan(0, Tokens * w.Rows));
        Emit(name, dst, w.Rows);
    }

    /// <summary>
    /// dst_j = BitLinear(w_j, src) for matrices sharing src (q/k/v, gate/up) in one backend call
    /// (<see cref="BitLinear.ForwardMany"/>); then, in order, each output's adapter and tap as <see cref="Linear"/> does.
    /// Same values as one <see cref="Linear"/> per matrix: the input is quantized once either way.
    /// </summary>
    private void LinearShared(float[] src, ReadOnlySpan<string> names)
    {
        int n = names.Length;
        ReadOnlySpan<TernaryMatrix> ws = _shared.AsSpan(0, n);
        ReadOnlySpan<float[]> dsts = _sharedOut.AsSpan(0, n);
        if (LinearMode == BitLinearMode.FloatActivations)
        {
            for (int j = 0; j < n; j++) Linear(ws[j], src, dsts[j], names[j]);
            return;
        }
        _bitLinear.ForwardMany(Backend, ws, src.AsSpan(0, Tokens * ws[0].Cols), Tokens, dsts);
        for (int j = 0; j < n; j++)
        {
            Adapter?.Apply(Layer, names[j], src.AsSpan(0, Tokens * ws[j].Cols), Tokens, dsts[j].AsSpan(0, Tokens * ws[j].Rows));
            Emit(names[j], dsts[j], ws[j].Rows);
        }
    }

    /// <summary>Rotates Q and K at their positions and appends K and V to the cache.</summary>
    public void RotateAndCache()
    {
        ModelConfig c = Config;
        for (int t = 0; t < Tokens; t++)
        {
            int pos = StartPos + t;
            for (int h = 0; h < c.Heads; h++) Rope.Apply(Q.AsSpan(t * c.QDim + h * c.HeadDim, c.HeadDim), pos);
            for (int h = 0; h < c.KvHeads; h++) Rope.Apply(K.AsSpan(t * c.KvDim + h * c.HeadDim, c.HeadDim), pos);
            Cache.Store(Layer, pos, K.AsSpan(t * c.KvDim, c.KvDim), V.AsSpan(t * c.KvDim, c.KvDim));
        }
        Emit("q_rope", Q, c.QDim);
        Emit("k_rope", K, c.KvDim);
    }

    /// <summary>Causal GQA attention into <see cref="Att"/> (<see cref="Attention"/>; heads split over the backend's pool).</summary>
    public void Attend()
    {
        _attention.Run();
        Emit("attn_out", Att, Config.QDim);
    }

    /// <summary>
    /// The attention half every family shares: attn_norm, the q/k/v BitLinears, RoPE, the KV-cache append
    /// and causal GQA attention, leaving the heads' output in <see cref="Att"/> (before any sub-norm and o_proj).
    /// </summary>
    public void SelfAttention(LayerWeights w)
    {
        Norm(X, w.AttnNorm, Xb, "attn_norm");
        (_shared[0], _shared[1], _shared[2]) = (w.Wq, w.Wk, w.Wv);
        (_sharedOut[0], _sharedOut[1], _sharedOut[2]) = (Q, K, V);
        LinearShared(Xb, QkvNames);
        RotateAndCache();
        Attend();
    }

    /// <summary>The gated-FFN half every family shares: ffn_norm, gate and up BitLinears, act(gate) · up into <see cref="Hb"/>.</summary>
    public void GatedFfn(LayerWeights w)
    {
        Norm(X, w.FfnNorm, Xb, "ffn_norm");
        (_shared[0], _shared[1]) = (w.WGate, w.WUp);
        (_sharedOut[0], _sharedOut[1]) = (Hb, Hb2);
        LinearShared(Xb, GateUpNames);
        GateActivation(Config.Activation);
    }

    /// <summary>Hb = act(Hb) · Hb2.</summary>
    public void GateActivation(FfnActivation activation)
    {
        int n = Tokens * Config.HiddenDim;
        if (activation == FfnActivation.Relu2) FloatOps.Relu2Mul(Hb.AsSpan(0, n), Hb2.AsSpan(0, n));
        else FloatOps.SiluMul(Hb.AsSpan(0, n), Hb2.AsSpan(0, n));
        Emit("ffn_act", Hb, Config.HiddenDim);
    }

    /// <summary>X += delta (residual connection).</summary>
    public void Residual(float[] delta, string name)
    {
        int n = Tokens * Config.Dim;
        FloatOps.Add(X.AsSpan(0, n), delta.AsSpan(0, n));
        Emit(name, X, Config.Dim);
    }

    /// <summary>Reports a named activation of width <paramref name="width"/> to the tap.</summary>
    public void Emit(string name, float[] values, int width) => Tap?.Invoke(name, Layer, values.AsSpan(0, Tokens * width), Tokens);

    private static void Grow(ref float[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new float[length];
    }
}
