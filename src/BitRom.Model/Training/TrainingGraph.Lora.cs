using BitRom.Model.Lora;

namespace BitRom.Model.Training;

public sealed partial class TrainingGraph
{
    // LoRA: per module h = x·A (Rows, r) kept for the backward pass; shared scratch for the rest.
    private readonly Dictionary<LoraTrainingModule, float[]> _loraH = [];
    private float[] _loraOut = [], _loraHT = [], _loraDh = [], _loraWT = [];

    /// <summary>The LoRA branch trained with this graph, or null.</summary>
    public TrainableLora? Lora { get; }

    private void AllocateLora(int wide)
    {
        if (Lora is null) return;
        int m = Rows, r = Lora.Rank;
        foreach (LoraTrainingModule mod in Lora.Modules) _loraH[mod] = new float[m * r];
        _loraOut = new float[m * wide];
        _loraHT = new float[m * r];
        _loraDh = new float[m * r];
        _loraWT = new float[wide * r];
    }

    /// <summary>y += ((x·A)·B)·(alpha/r) on (layer, target), x the float input of the BitLinear (before int8).</summary>
    private void LoraForward(int layer, LoraTarget t, float[] x, float[] y)
    {
        if (Lora?.Find(layer, t) is not { } mod) return;
        int m = Rows, r = Lora.Rank, n = mod.N;
        float[] h = _loraH[mod];
        float s = Lora.Scaling;
        Gemm.Multiply(x, mod.A.W, h, m, mod.K, r, accumulate: false);
        Gemm.Multiply(h, mod.B.W, _loraOut, m, r, n, accumulate: false);
        for (int i = 0; i < m * n; i++) y[i] += _loraOut[i] * s;
    }

    /// <summary>
    /// With u = dy·(alpha/r): dB += hᵀ·u, dh = u·Bᵀ, dA += xᵀ·dh, dx += dh·Aᵀ (the quantizer of x is the identity
    /// under the straight-through estimator, so dx adds into the same input gradient as the BitLinear's).
    /// </summary>
    private void LoraBackward(int layer, LoraTarget t, float[] x, float[] dy, float[] dx)
    {
        if (Lora?.Find(layer, t) is not { } mod) return;
        int m = Rows, r = Lora.Rank, n = mod.N, k = mod.K;
        float[] h = _loraH[mod];
        float s = Lora.Scaling;
        for (int i = 0; i < m * n; i++) _loraOut[i] = dy[i] * s;
        Gemm.Transpose(h.AsSpan(0, m * r), _loraHT, m, r);
        Gemm.Multiply(_loraHT, _loraOut, mod.B.G, r, m, n, accumulate: true);
        Gemm.Transpose(mod.B.W, _loraWT, r, n);
        Gemm.Multiply(_loraOut, _loraWT, _loraDh, m, n, r, accumulate: false);
        Gemm.Transpose(x.AsSpan(0, m * k), _linT, m, k);
        Gemm.Multiply(_linT, _loraDh, mod.A.G, k, m, r, accumulate: true);
        Gemm.Transpose(mod.A.W, _loraWT, k, r);
        Gemm.Multiply(_loraDh, _loraWT, dx, m, r, k, accumulate: true);
    }
}
