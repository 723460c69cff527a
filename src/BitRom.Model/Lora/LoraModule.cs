using BitRom.Numerics.Floats;

namespace BitRom.Model.Lora;

/// <summary>
/// One LoRA module on a BitLinear W [N x K] (the authors' <c>module/lora.py</c>): y = BitLinear(x) + ((x·A)·B)·(alpha/r),
/// A [K, r] and B [r, N] in the authors' layout (not PEFT's transposed <c>lora_A.weight</c> [r, K]).
/// Contract: immutable after construction; quantized copies are derived once per mode.
/// </summary>
public sealed class LoraModule
{
    private readonly float[][] _aT = new float[3][];   // per mode: A (fake-quantized) transposed, (r, K)
    private readonly float[][] _bT = new float[3][];   // per mode: B (fake-quantized) transposed, (N, r)
    private float[] _xs = [], _h = [];                 // scratch: quantized x, x·Â of one token (grown once)

    /// <summary>A module on (<paramref name="layer"/>, <paramref name="target"/>) from row-major A and B.</summary>
    public LoraModule(int layer, LoraTarget target, int k, int n, int rank, float[] a, float[] b)
    {
        if (layer < 0 || k <= 0 || n <= 0 || rank <= 0) throw new ArgumentException($"LoRA module {LoraTargets.HfModulePath(layer, target)}: shape K {k}, N {n}, rank {rank}");
        if (a.Length != (long)k * rank) throw new ArgumentException($"LoRA module {LoraTargets.HfModulePath(layer, target)}: lora_a has {a.Length} values, expected [{k}, {rank}]");
        if (b.Length != (long)rank * n) throw new ArgumentException($"LoRA module {LoraTargets.HfModulePath(layer, target)}: lora_b has {b.Length} values, expected [{rank}, {n}]");
        foreach (float v in a.Concat(b))
            if (!float.IsFinite(v)) throw new InvalidDataException($"LoRA module {LoraTargets.HfModulePath(layer, target)}: non-finite weight {v}");
        Layer = layer;
        Target = target;
        K = k;
        N = n;
        Rank = rank;
        A = a;
        B = b;
    }

    /// <summary>Block.</summary>
    public int Layer { get; }
    /// <summary>Wrapped BitLinear.</summary>
    public LoraTarget Target { get; }
    /// <summary>Input features.</summary>
    public int K { get; }
    /// <summary>Output features.</summary>
    public int N { get; }
    /// <summary>Rank r.</summary>
    public int Rank { get; }
    /// <summary>lora_a, (K, r) row-major, float32.</summary>
    public float[] A { get; }
    /// <summary>lora_b, (r, N) row-major, float32.</summary>
    public float[] B { get; }
    /// <summary>Parameters: K·r + r·N.</summary>
    public long Parameters => (long)K * Rank + (long)Rank * N;

    /// <summary>
    /// y (tokens, N) += ((x̂·Â)·B̂)·<paramref name="scaling"/> with x̂, Â, B̂ as <paramref name="mode"/> computes them
    /// (PAPER-NOTES.md §6): x per tensor over all tokens of the call (the authors quantize the whole activation
    /// tensor) at 8 bits, A and B per tensor; x·A stays float (not re-quantized). Dot products in the fixed order of
    /// <see cref="FloatOps.Dot"/>; the product with B is scaled, then added, as torch does.
    /// </summary>
    public void Apply(ReadOnlySpan<float> x, int tokens, Span<float> y, float scaling, LoraQuantization mode)
    {
        if (x.Length != tokens * K || y.Length != tokens * N) throw new ArgumentException($"LoRA module {LoraTargets.HfModulePath(Layer, Target)}: x {x.Length} / y {y.Length} values for {tokens} tokens of [{K} -> {N}]");
        float[] aT = Transposed(mode, a: true), bT = Transposed(mode, a: false);
        ReadOnlySpan<float> xs = x;
        if (mode != LoraQuantization.Fp)
        {
            if (_xs.Length < x.Length) _xs = new float[x.Length];
            LoraQuantizer.Uniform(x, LoraQuantizer.ActivationBits, _xs);
            xs = _xs.AsSpan(0, x.Length);
        }
        if (_h.Length < Rank) _h = new float[Rank];
        Span<float> h = _h.AsSpan(0, Rank);
        for (int t = 0; t < tokens; t++)
        {
            ReadOnlySpan<float> xt = xs.Slice(t * K, K);
            for (int j = 0; j < Rank; j++) h[j] = FloatOps.Dot(xt, aT.AsSpan(j * K, K));
            Span<float> yt = y.Slice(t * N, N);
            for (int n = 0; n < N; n++) yt[n] += FloatOps.Dot(h, bT.AsSpan(n * Rank, Rank)) * scaling;
        }
    }

    /// <summary>A (as (r, K)) or B (as (N, r)), fake-quantized for <paramref name="mode"/>, built once.</summary>
    private float[] Transposed(LoraQuantization mode, bool a)
    {
        float[][] cache = a ? _aT : _bT;
        if (cache[(int)mode] is { } done) return done;
        float[] src = a ? A : B;
        float[] q = mode switch
        {
            LoraQuantization.W6A8 => LoraQuantizer.Uniform(src, LoraQuantizer.WeightBits),
            LoraQuantization.Ternary => LoraQuantizer.TernaryAbsMean(src),
            _ => src,
        };
        int rows = a ? K : Rank, cols = a ? Rank : N;
        var t = new float[q.Length];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) t[j * rows + i] = q[i * cols + j];
        return cache[(int)mode] = t;
    }
}
