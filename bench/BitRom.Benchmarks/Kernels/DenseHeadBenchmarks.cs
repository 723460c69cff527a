using BenchmarkDotNet.Attributes;
using BitRom.Numerics.Floats;
using BitRom.Numerics.Kernels;

namespace BitRom.Benchmarks.Kernels;

/// <summary>The dense head (bf16/f16/Q8_0 rows × float) for one token, 4096 rows of 2560, per ISA job.</summary>
[Config(typeof(HwIntrinsicsConfig))]
public class DenseHeadBenchmarks
{
    [Params(DenseElementType.BF16, DenseElementType.F16, DenseElementType.Q8_0)]
    public DenseElementType Type;

    private const int N = 4096, K = 2560;
    private DenseMatrix _w = null!;
    private float[] _x = [], _y = [];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(2);
        var bytes = new byte[(long)N * DenseMatrix.RowBytesOf(Type, K)];
        if (Type == DenseElementType.Q8_0) rng.NextBytes(bytes);
        for (int i = 0; i < bytes.Length; i += Type == DenseElementType.Q8_0 ? 2 + DenseMatrix.Q8Block : 2)
        {
            float v = (float)(rng.NextDouble() - 0.5) * (Type == DenseElementType.Q8_0 ? 0.01f : 1f);
            ushort bits = Type == DenseElementType.BF16 ? FloatFormats.FloatToBFloat16(v) : FloatFormats.FloatToHalf(v);
            bytes[i] = (byte)bits;
            bytes[i + 1] = (byte)(bits >> 8);
        }
        _w = new DenseMatrix("head", N, K, Type, bytes);
        _x = new float[K];
        for (int i = 0; i < K; i++) _x[i] = (float)(rng.NextDouble() * 2 - 1);
        _y = new float[N];
        var expected = new float[N];
        DenseGemm.Reference(_w, _x, 1, expected);
        DenseKernels.Gemm(_w, _x, 1, _y);
        if (!expected.AsSpan().SequenceEqual(_y)) throw new ReferenceMismatchException($"DenseKernels.Gemm {Type}");
    }

    [Benchmark]
    public void Head() => DenseKernels.Gemm(_w, _x, 1, _y);
}
