using BenchmarkDotNet.Attributes;
using BitRom.Numerics.Kernels;
using BitRom.Numerics.Ternary;

namespace BitRom.Benchmarks.Kernels;

/// <summary>Ternary GEMV (tokens = 1, decode) and GEMM (prefill) at the 2B4T widths, per ISA job.</summary>
[Config(typeof(HwIntrinsicsConfig))]
public class TernaryGemmBenchmarks
{
    /// <summary>N × K of 2B4T's q/o projection (2560 × 2560) and down projection (2560 × 6912).</summary>
    [Params(2560, 6912)]
    public int K;

    [Params(1, 16)]
    public int Tokens;

    private const int N = 2560;
    private TernaryMatrix _w = null!;
    private sbyte[] _q = [];
    private int[] _acc = [];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        var trits = new sbyte[N * K];
        for (int i = 0; i < trits.Length; i++) trits[i] = (sbyte)rng.Next(-1, 2);
        _w = TernaryMatrix.FromTrits("bench", N, K, trits, 1f);
        _q = new sbyte[Tokens * K];
        for (int i = 0; i < _q.Length; i++) _q[i] = (sbyte)rng.Next(-128, 128);
        _acc = new int[Tokens * N];
        var expected = new int[Tokens * N];
        TernaryGemm.Reference(_w, _q, Tokens, expected);
        TernaryKernels.Gemm(_w, _q, Tokens, _acc);
        if (!expected.AsSpan().SequenceEqual(_acc)) throw new ReferenceMismatchException($"TernaryKernels.Gemm ({TernaryKernels.Path})");
    }

    [Benchmark]
    public void Gemm() => TernaryKernels.Gemm(_w, _q, Tokens, _acc);
}
