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
    }

    [Benchmark]
    public float Dot() => FloatOps.Dot(_a, _b);

    [Benchmark]
    public void RmsNorm() => FloatOps.RmsNorm(_a, _b, 1e-5f, _o);

    [Benchmark]
    public float Quantize() => ActivationQuantizer.Quantize(_a, _q);
}
