using BenchmarkDotNet.Attributes;
using BitRom.Numerics.Floats;
using BitRom.Numerics.Quant;

namespace BitRom.Benchmarks.Kernels;

/// <summary>The float ops of a block and the activation quantizer at 2B4T widths, per ISA job.</summary>
[Config(typeof(HwIntrinsicsConfig))]
public class FloatOpsBenchmarks
{
    [Params(2560, 6912)]
    public int K;

    private float[] _a = [], _b = [], _o = [];
    private sbyte[] _q = [];
    private readonly float[] _four = new float[4];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(3);
        _a = new float[K];
        _b = new float[K];
        _o = new float[K];
        _q = new sbyte[K];
        for (int i = 0; i < K; i++) { _a[i] = (float)(rng.NextDouble() * 2 - 1); _b[i] = (float)(rng.NextDouble() * 2 - 1); }
        if (FloatOps.Dot(_a, _b) != FloatOps.DotReference(_a, _b)) throw new ReferenceMismatchException("FloatOps.Dot");
        var expected = new float[K];
        FloatOps.RmsNormReference(_a, _b, 1e-5f, expected);
        FloatOps.RmsNorm(_a, _b, 1e-5f, _o);
        if (!expected.AsSpan().SequenceEqual(_o)) throw new ReferenceMismatchException("FloatOps.RmsNorm");
        var qExpected = new sbyte[K];
        ActivationQuantizer.QuantizeReference(_a, qExpected);
        ActivationQuantizer.Quantize(_a, _q);
        if (!qExpected.AsSpan().SequenceEqual(_q)) throw new ReferenceMismatchException("ActivationQuantizer.Quantize");
        FloatOps.Dot4(_a, _a, _a, _a, _b, _four);
        if (_four[3] != FloatOps.DotReference(_a, _b)) throw new ReferenceMismatchException("FloatOps.Dot4");
        float[] rowsExpected = new float[128], rowsActual = new float[128];
        for (int p = 0; p < K / 128; p++) FloatOps.AddScaledReference(rowsExpected, _b[p], _a.AsSpan(p * 128, 128));
        FloatOps.AddScaledRows(rowsActual, _b.AsSpan(0, K / 128), _a, 128);
        if (!rowsExpected.AsSpan().SequenceEqual(rowsActual)) throw new ReferenceMismatchException("FloatOps.AddScaledRows");
    }

    [Benchmark]
    public float Dot() => FloatOps.Dot(_a, _b);

    /// <summary>Four dots of K/4 against one vector, one at a time (the attention-score loop before Dot4).</summary>
    [Benchmark]
    public float FourDots()
    {
        int n = K / 4;
        ReadOnlySpan<float> x = _b.AsSpan(0, n);
        return FloatOps.Dot(_a.AsSpan(0, n), x) + FloatOps.Dot(_a.AsSpan(n, n), x) + FloatOps.Dot(_a.AsSpan(2 * n, n), x) + FloatOps.Dot(_a.AsSpan(3 * n, n), x);
    }

    /// <summary>The same four dots through <see cref="FloatOps.Dot4"/> (four independent chains).</summary>
    [Benchmark]
    public float Dot4()
    {
        int n = K / 4;
        FloatOps.Dot4(_a.AsSpan(0, n), _a.AsSpan(n, n), _a.AsSpan(2 * n, n), _a.AsSpan(3 * n, n), _b.AsSpan(0, n), _four);
        return _four[0] + _four[1] + _four[2] + _four[3];
    }

    /// <summary>Attention values of one head: K/128 positions of 128, one AddScaled per position.</summary>
    [Benchmark]
    public void AddScaledPerRow()
    {
        for (int p = 0; p < K / 128; p++) FloatOps.AddScaled(_o.AsSpan(0, 128), _b[p], _a.AsSpan(p * 128, 128));
    }

    /// <summary>The same through <see cref="FloatOps.AddScaledRows"/> (accumulators held in registers).</summary>
    [Benchmark]
    public void AddScaledRows() => FloatOps.AddScaledRows(_o.AsSpan(0, 128), _b.AsSpan(0, K / 128), _a, 128);

    [Benchmark]
    public void RmsNorm() => FloatOps.RmsNorm(_a, _b, 1e-5f, _o);

    [Benchmark]
    public float Quantize() => ActivationQuantizer.Quantize(_a, _q);
}
