using BitRom.Numerics.Kernels;
using BitRom.Numerics.Ternary;
using CsCheck;
using Xunit;

namespace BitRom.Tests.Foundation;

public class TernaryGemmTests
{
    [Fact]
    public void Reference_RandomShapes_EqualsNaiveLongDot()
    {
        var gen = Gen.Select(Gen.Int[1, 40], Gen.Int[1, 67], Gen.Int[1, 4], Gen.ULong);
        gen.Sample((n, k, tokens, seed) =>
        {
            var rng = new Random((int)seed);
            var trits = new sbyte[n * k];
            for (int i = 0; i < trits.Length; i++) trits[i] = (sbyte)rng.Next(-1, 2);
            var q = new sbyte[tokens * k];
            for (int i = 0; i < q.Length; i++) q[i] = (sbyte)rng.Next(-128, 128);
            var w = TernaryMatrix.FromTrits("w", n, k, trits, 1f);
            var acc = new int[tokens * n];
            TernaryGemm.Reference(w, q, tokens, acc);
            for (int t = 0; t < tokens; t++)
                for (int r = 0; r < n; r++)
                {
                    long expect = 0;
                    for (int c = 0; c < k; c++) expect += (long)trits[r * k + c] * q[t * k + c];
                    if (acc[t * n + r] != expect) return false;
                }
            return true;
        }, iter: 300);
    }

    [Fact]
    public void Packing_RoundTrip_KeepsEveryTrit()
    {
        Gen.SByte[-1, 1].Array[0, 50].Sample(trits =>
        {
            var packed = new byte[TernaryPacking.PackedBytes(trits.Length)];
            TernaryPacking.Pack(trits, packed);
            var back = new sbyte[trits.Length];
            TernaryPacking.Unpack(packed, back);
            return back.AsSpan().SequenceEqual(trits);
        });
    }

    [Fact]
    public void Packing_CodeIsTritPlusOneLsbFirst()
    {
        var packed = new byte[1];
        TernaryPacking.Pack([-1, 0, 1, 0], packed);
        Assert.Equal(0b01_10_01_00, packed[0]);
    }

    [Fact]
    public void Matrix_InvalidCode3_IsRejectedWithByteIndex()
    {
        var e = Assert.Throws<InvalidDataException>(() => new TernaryMatrix("bad", 1, 4, new byte[] { 0b11_00_00_00 }, 1f));
        Assert.Contains("byte 0", e.Message);
    }

    [Fact]
    public void Matrix_WrongByteCount_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => new TernaryMatrix("bad", 2, 5, new byte[3], 1f));
    }
}
