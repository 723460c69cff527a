using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using BitRom.Model.Architectures;
using BitRom.Model.Inference;
using BitRom.Model.Synthetic;
using BitRom.Numerics.Floats;
using BitRom.Numerics.Kernels;
using BitRom.Numerics.Quant;
using BitRom.Numerics.Ternary;

// Runs every public kernel entry point (which dispatch on the hardware this process is allowed to use) on
// seeded data, plus a fast-backend forward pass of the tiny model, and prints one SHA-256 over all outputs.
// Output lines: "isa avx512=… avx2=… ssse3=… v512=… v256=… v128=…", "path <TernaryKernels.Path>", "hash <hex>".
var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
void Add<T>(ReadOnlySpan<T> values) where T : struct => hash.AppendData(MemoryMarshal.AsBytes(values));

var rng = new Random(20261204);
foreach (int k in new[] { 1, 31, 32, 33, 255, 256, 257, 4103 })
{
    // ternary GEMV and GEMM
    foreach (int tokens in new[] { 1, 5 })
    {
        const int n = 7;
        var trits = new sbyte[n * k];
        for (int i = 0; i < trits.Length; i++) trits[i] = (sbyte)rng.Next(-1, 2);
        var w = TernaryMatrix.FromTrits("w", n, k, trits, 1f);
        var q = new sbyte[tokens * k];
        for (int i = 0; i < q.Length; i++) q[i] = (sbyte)rng.Next(-128, 128);
        var acc = new int[tokens * n];
        TernaryKernels.Gemm(w, q, tokens, acc);
        Add<int>(acc);
    }

    // float ops and the quantizer
    float[] a = Floats(k), b = Floats(k);
    float[] o = new float[k];
    Add<float>([FloatOps.Dot(a, b), FloatOps.Sum(a)]);
    FloatOps.RmsNorm(a, b, 1e-5f, o); Add<float>(o);
    float[] g = (float[])a.Clone(); FloatOps.SiluMul(g, b); Add<float>(g);
    g = (float[])a.Clone(); FloatOps.Relu2Mul(g, b); Add<float>(g);
    g = (float[])a.Clone(); FloatOps.AddScaled(g, 0.3f, b); Add<float>(g);
    g = (float[])a.Clone(); for (int i = 0; i < k; i++) g[i] *= 0.01f; FloatOps.Softmax(g); Add<float>(g);
    var four = new float[4];
    FloatOps.Dot4(a, b, o, g, a, four); Add<float>(four);
    float[] rows = Floats(5 * k), weights = Floats(5);
    g = (float[])a.Clone(); FloatOps.AddScaledRows(g, weights, rows, k); Add<float>(g);
    var qa = new sbyte[k];
    Add<float>([ActivationQuantizer.Quantize(a, qa)]);
    Add<sbyte>(qa);

    // dense head rows (bf16)
    var bytes = new byte[3 * k * 2];
    for (int i = 0; i < 3 * k; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 2), FloatFormats.FloatToBFloat16((float)rng.NextDouble() - 0.5f));
    var dense = new DenseMatrix("d", 3, k, DenseElementType.BF16, bytes);
    var y = new float[3];
    DenseKernels.Gemm(dense, a, 1, y);
    Add<float>(y);

    // the fast backend's dense path (interleaved layout where AVX2 runs it) on 7 rows of each 2- and 4-byte type
    using var backend = new FastBackend(2, inlineWork: 0);
    foreach (DenseElementType type in new[] { DenseElementType.BF16, DenseElementType.F16, DenseElementType.F32 })
    {
        int size = type == DenseElementType.F32 ? 4 : 2;
        var raw = new byte[7 * k * size];
        for (int i = 0; i < 7 * k; i++)
        {
            float v = (float)rng.NextDouble() - 0.5f;
            if (type == DenseElementType.F32) BitConverter.TryWriteBytes(raw.AsSpan(i * 4), v);
            else BitConverter.TryWriteBytes(raw.AsSpan(i * 2), type == DenseElementType.BF16 ? FloatFormats.FloatToBFloat16(v) : FloatFormats.FloatToHalf(v));
        }
        var y7 = new float[2 * 7];
        backend.Dense(new DenseMatrix("h", 7, k, type, raw), [.. a, .. b], 2, y7);
        Add<float>(y7);
    }
}

// a whole tiny model through the fast backend, 2 threads
ModelConfig config = Presets.Tiny;
using (var fast = new FastBackend(2, inlineWork: 0))
{
    var model = new Transformer(config, SyntheticModel.Create(config, seed: 5), fast);
    Add(model.Forward([256, 1, 2, 3, 4], 0, allLogits: true));
    Add(model.Forward([9], 5));
}

Console.WriteLine($"isa avx512={Avx512F.IsSupported} avx2={Avx2.IsSupported} ssse3={Ssse3.IsSupported} v512={Vector512.IsHardwareAccelerated} v256={Vector256.IsHardwareAccelerated} v128={Vector128.IsHardwareAccelerated}");
Console.WriteLine($"path {TernaryKernels.Path}");
Console.WriteLine($"hash {Convert.ToHexString(hash.GetHashAndReset())}");
return 0;

float[] Floats(int count)
{
    var x = new float[count];
    for (int i = 0; i < count; i++) x[i] = (float)((rng.NextDouble() * 2 - 1) * Math.Pow(10, rng.Next(-3, 4)));
    return x;
}
