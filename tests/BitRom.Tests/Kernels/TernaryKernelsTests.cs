using System.Runtime.Intrinsics.X86;
using BitRom.Numerics.Kernels;
using BitRom.Numerics.Ternary;
using Xunit;

namespace BitRom.Tests.Kernels;

public class TernaryKernelsTests
{
    public static TheoryData<int, int> Shapes()
    {
        var data = new TheoryData<int, int>();
        foreach (int k in KernelTestData.Widths)
            if (k > 0) // a TernaryMatrix has at least one column (its constructor rejects K = 0)
                foreach (int n in new[] { 1, 7 }) data.Add(n, k);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Vector256_RandomShapes_EqualsReference(int n, int k)
    {
        if (!Avx2.IsSupported) return; // path absent on this machine; the dispatch test still covers it
        CompareAll(n, k, TernaryKernels.GemmVector256);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Vector128_RandomShapes_EqualsReference(int n, int k)
    {
        if (!Ssse3.IsSupported) return; // path absent on this machine; the dispatch test still covers it
        CompareAll(n, k, TernaryKernels.GemmVector128);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Gemm_Dispatch_EqualsReference(int n, int k) => CompareAll(n, k, TernaryKernels.Gemm);

    [Fact]
    public void Gemm_ZeroTokens_WritesNothing()
    {
        var w = KernelTestData.Matrix(new Random(1), 3, 40);
        var acc = new int[] { 7, 7, 7 };
        TernaryKernels.Gemm(w, [], 0, acc);
        Assert.Equal([7, 7, 7], acc);
    }

    [Fact]
    public void Gemm_ShortActivations_Throws()
    {
        var w = KernelTestData.Matrix(new Random(1), 3, 40);
        Assert.Throws<ArgumentException>(() => TernaryKernels.Gemm(w, new sbyte[79], 2, new int[6]));
    }

    private delegate void Kernel(TernaryMatrix w, ReadOnlySpan<sbyte> q, int tokens, Span<int> acc);

    private static void CompareAll(int n, int k, Kernel kernel)
    {
        var rng = new Random(n * 10007 + k);
        for (int mode = 0; mode < 3; mode++)
            foreach (int tokens in KernelTestData.TokenCounts)
            {
                TernaryMatrix w = KernelTestData.Matrix(rng, n, k, mode);
                sbyte[] q = KernelTestData.Activations(rng, tokens * k, mode == 0 ? 0 : 1);
                var expected = new int[tokens * n];
                var actual = new int[tokens * n];
                TernaryGemm.Reference(w, q, tokens, expected);
                kernel(w, q, tokens, actual);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"N={n} K={k} tokens={tokens} mode={mode}");
            }
    }
}
