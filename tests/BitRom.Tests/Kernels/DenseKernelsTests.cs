using System.Buffers.Binary;
using System.Runtime.Intrinsics.X86;
using BitRom.Numerics.Floats;
using BitRom.Numerics.Kernels;
using Xunit;

namespace BitRom.Tests.Kernels;

public class DenseKernelsTests
{
    public static TheoryData<DenseElementType, int, int> Shapes()
    {
        var data = new TheoryData<DenseElementType, int, int>();
        foreach (DenseElementType type in Enum.GetValues<DenseElementType>())
            foreach (int k in new[] { 1, 31, 32, 33, 255, 256, 257, 4103 })
                if (type != DenseElementType.Q8_0 || k % DenseMatrix.Q8Block == 0)
                    foreach (int n in new[] { 1, 7 }) data.Add(type, n, k);
        foreach (int n in new[] { 1, 7 }) data.Add(DenseElementType.Q8_0, n, 4096 + 32);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Gemm_RandomRows_EqualsReference(DenseElementType type, int n, int k)
    {
        var rng = new Random(n * 31 + k + (int)type * 1000);
        DenseMatrix w = RandomMatrix(rng, type, n, k);
        foreach (int tokens in KernelTestData.TokenCounts)
        {
            float[] x = KernelTestData.Floats(rng, tokens * k);
            float[] expected = new float[tokens * n], actual = new float[tokens * n];
            DenseGemm.Reference(w, x, tokens, expected);
            DenseKernels.Gemm(w, x, tokens, actual);
            Assert.Equal(Bits(expected), Bits(actual));
        }
    }

    [Fact]
    public void DecodeRowVector256_EveryHalfPattern_EqualsScalar()
    {
        if (!Avx2.IsSupported) return; // path absent on this machine
        // All 65,536 binary16 patterns: normals, subnormals, ±0, ±Inf and NaNs (which take the scalar fallback).
        const int k = 65536;
        var bytes = new byte[k * 2];
        for (int i = 0; i < k; i++) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), (ushort)i);
        var w = new DenseMatrix("all-halves", 1, k, DenseElementType.F16, bytes);
        float[] expected = new float[k], actual = new float[k];
        w.DecodeRow(0, expected);
        DenseKernels.DecodeRowVector256(w, 0, actual);
        Assert.Equal(Bits(expected), Bits(actual));
    }

    internal static DenseMatrix RandomMatrix(Random rng, DenseElementType type, int n, int k)
    {
        var bytes = new byte[(long)n * DenseMatrix.RowBytesOf(type, k)];
        rng.NextBytes(bytes);
        if (type == DenseElementType.F32 || type == DenseElementType.F16 || type == DenseElementType.BF16)
        {
            // random bit patterns, but finite and of moderate size so sums exercise rounding rather than overflow
            int size = type == DenseElementType.F32 ? 4 : 2;
            for (int i = 0; i < bytes.Length; i += size)
            {
                float v = (float)(rng.NextDouble() * 2 - 1);
                if (type == DenseElementType.F32) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i), v);
                else if (type == DenseElementType.F16) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i), FloatFormats.FloatToHalf(v * (i % 7 == 0 ? 1e-6f : 1f)));
                else BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i), FloatFormats.FloatToBFloat16(v));
            }
        }
        else
        {
            for (int i = 0; i < bytes.Length; i += 2 + DenseMatrix.Q8Block)
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i), FloatFormats.FloatToHalf((float)rng.NextDouble() * 0.01f));
        }
        return new DenseMatrix($"dense{n}x{k}", n, k, type, bytes);
    }

    private static int[] Bits(float[] v) => Array.ConvertAll(v, BitConverter.SingleToInt32Bits);
}
