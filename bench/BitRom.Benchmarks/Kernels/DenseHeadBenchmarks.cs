using BenchmarkDotNet.Attributes;
using BitRom.Numerics.Floats;
using BitRom.Numerics.Kernels;

namespace BitRom.Benchmarks.Kernels;

/// <summary>
/// The dense head (bf16/f16/Q8_0 rows × float) for one token, 2560 columns, per ISA job: the row-major kernel and the
/// fast backend's interleaved layout (one thread), at 4,096 rows (21 MB bf16, cache-resident) and 65,536 rows
/// (335 MB, streamed from DRAM like a real head).
/// </summary>
[Config(typeof(HwIntrinsicsConfig))]
public class DenseHeadBenchmarks
{
    [Params(DenseElementType.BF16, DenseElementType.F16, DenseElementType.Q8_0)]
    public DenseElementType Type;

    [Params(4096, 65536)]
    public int N;

    private const int K = 2560;
    private DenseMatrix _w = null!;
    private float[] _x = [], _y = [];
    private FastBackend _interleaved = null!;

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
        _interleaved = new FastBackend(threads: 1);
        Array.Clear(_y);
        _interleaved.Dense(_w, _x, 1, _y); // builds the interleaved copy once, outside the timing
        if (!expected.AsSpan().SequenceEqual(_y)) throw new ReferenceMismatchException($"FastBackend.Dense (interleaved) {Type}");
    }

    [GlobalCleanup]
    public void Cleanup() => _interleaved.Dispose();

    [Benchmark(Baseline = true)]
    public void Head() => DenseKernels.Gemm(_w, _x, 1, _y);

    [Benchmark]
    public void HeadInterleaved() => _interleaved.Dense(_w, _x, 1, _y);
}
