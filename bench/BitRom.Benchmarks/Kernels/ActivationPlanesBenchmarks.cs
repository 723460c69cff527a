using BenchmarkDotNet.Attributes;
using BitRom.Numerics.Kernels;

namespace BitRom.Benchmarks.Kernels;

/// <summary>The per-call rearrangement of int8 activations into the ternary kernels' planes: scalar loop vs AVX2 shuffles.</summary>
/// <remarks>Default job only: the AVX2 method has no meaning in the ISA-limited jobs of <see cref="HwIntrinsicsConfig"/>.</remarks>
public class ActivationPlanesBenchmarks
{
    [Params(2560, 6912)]
    public int K;

    private sbyte[] _q = [], _planes = [];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(4);
        _q = new sbyte[K];
        for (int i = 0; i < K; i++) _q[i] = (sbyte)rng.Next(-128, 128);
        _planes = new sbyte[(K + 127) / 128 * 128];
        var expected = new sbyte[_planes.Length];
        int sum = TernaryActivations.Rearrange(_q, expected);
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported
            && (TernaryActivations.RearrangeVector256(_q, _planes) != sum || !expected.AsSpan().SequenceEqual(_planes)))
            throw new ReferenceMismatchException("TernaryActivations.RearrangeVector256");
    }

    [Benchmark(Baseline = true)]
    public int Scalar() => TernaryActivations.Rearrange(_q, _planes);

    [Benchmark]
    public int Vector256() => TernaryActivations.RearrangeVector256(_q, _planes);
}
