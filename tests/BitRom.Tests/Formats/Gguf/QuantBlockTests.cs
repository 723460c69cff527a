using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BitRom.Numerics.Floats;
using BitRom.Numerics.Quant;
using BitRom.Numerics.Ternary;
using BitRom.Model.Synthetic;
using Xunit;

namespace BitRom.Tests.Formats.Gguf;

public class QuantBlockTests
{
    [Fact]
    public void BlockStructs_Sizes_MatchGgml()
    {
        Assert.Equal(66, Unsafe.SizeOf<BlockTq2_0>());
        Assert.Equal(54, Unsafe.SizeOf<BlockTq1_0>());
        Assert.Equal(34, Unsafe.SizeOf<BlockQ8_0>());
        Assert.Equal(BlockSizes.TQ2_0, Unsafe.SizeOf<BlockTq2_0>());
        Assert.Equal(Tq2_0.DOffset, (int)Marshal.OffsetOf<BlockTq2_0>(nameof(BlockTq2_0.D)));
        Assert.Equal(Tq1_0.DOffset, (int)Marshal.OffsetOf<BlockTq1_0>(nameof(BlockTq1_0.D)));
        Assert.Equal(Tq1_0.QhOffset, (int)Marshal.OffsetOf<BlockTq1_0>(nameof(BlockTq1_0.Qh)));
    }

    [Fact]
    public void Traits_TernaryTypes_HaveGgmlIdsAndBitsPerWeight()
    {
        Assert.Equal(34, (int)QuantType.TQ1_0);
        Assert.Equal(35, (int)QuantType.TQ2_0);
        Assert.Equal(30, (int)QuantType.BF16);
        Assert.Equal(8, (int)QuantType.Q8_0);
        Assert.Equal(2.0625, QuantTypeTraits.Get(QuantType.TQ2_0).BitsPerWeight);
        Assert.Equal(1.6875, QuantTypeTraits.Get(QuantType.TQ1_0).BitsPerWeight);
        Assert.Equal(8.5, QuantTypeTraits.Get(QuantType.Q8_0).BitsPerWeight);
        Assert.Equal(36u, QuantTypeTraits.FileId(QuantType.I2_S));
        Assert.False(QuantTypeTraits.IsKnown((QuantType)36)); // removed upstream id: only I2_S by context
        Assert.Equal(512L / 4 + 32, QuantTypeTraits.TensorBytes(QuantType.I2_S, 512, 256));
        Assert.Equal(-1, QuantTypeTraits.TensorBytes(QuantType.TQ2_0, 300, 300));
    }

    [Fact]
    public void Tq1_0_EveryFiveTritValue_DecodesExactly()
    {
        for (int v = 0; v < 243; v++)
        {
            byte b = (byte)((v * 256 + 242) / 243);
            int rest = v;
            for (int n = 4; n >= 0; n--)
            {
                Assert.Equal(rest % 3, Tq1_0.Digit(b, n));
                rest /= 3;
            }
        }
    }

    [Theory]
    [InlineData(QuantType.TQ2_0)]
    [InlineData(QuantType.TQ1_0)]
    public void TqBlock_EncodeDecode_IsLossless(QuantType type)
    {
        var rng = new SplitMix64(7);
        var trits = new sbyte[256];
        var back = new sbyte[256];
        var block = new byte[QuantTypeTraits.Get(type).TypeSize];
        for (int round = 0; round < 50; round++)
        {
            for (int i = 0; i < 256; i++) trits[i] = (sbyte)((int)(rng.Next() % 3) - 1);
            ushort d = (ushort)rng.Next();
            ushort dBack;
            if (type == QuantType.TQ2_0) { Tq2_0.EncodeBlock(trits, d, block); dBack = Tq2_0.DecodeBlock(block, back); }
            else { Tq1_0.EncodeBlock(trits, d, block); dBack = Tq1_0.DecodeBlock(block, back); }
            Assert.Equal(d, dBack);
            Assert.Equal(trits, back);
        }
    }

    [Fact]
    public void Tq2_0_Layout_MatchesGgmlDequantOrder()
    {
        // ggml dequantize_row_tq2_0: for j in {0,32}, l in 0..3, m in 0..31: y[out++] = code(qs[j+m] >> 2l).
        var trits = new sbyte[256];
        trits[5] = 1;       // j=0, l=0, m=5 -> byte 5, bits 0-1
        trits[32 + 7] = -1; // j=0, l=1, m=7 -> byte 7, bits 2-3
        trits[128 + 96 + 31] = 1; // j=32, l=3, m=31 -> byte 63, bits 6-7
        var block = new byte[66];
        Tq2_0.EncodeBlock(trits, FloatFormats.FloatToHalf(1f), block);
        Assert.Equal(0b01_01_01_10, block[5]);
        Assert.Equal(0b01_01_00_01, block[7]);
        Assert.Equal(0b10_01_01_01, block[63]);
        var y = new float[256];
        Tq2_0.DequantizeRow(block, y);
        for (int i = 0; i < 256; i++) Assert.Equal(trits[i], y[i]);
    }

    [Theory]
    [InlineData(QuantType.TQ2_0)]
    [InlineData(QuantType.TQ1_0)]
    public void TqReferenceQuantizer_TernaryTimesScale_RoundTripsThroughDequantize(QuantType type)
    {
        QuantTypeInfo info = QuantTypeTraits.Get(type);
        var x = new float[512];
        for (int i = 0; i < x.Length; i++) x[i] = ((i * 7 + i / 3) % 3 - 1) * 0.375f; // 0.375 is exact in fp16
        var bytes = new byte[x.Length / 256 * info.TypeSize];
        info.QuantizeReference!(x, bytes);
        var y = new float[x.Length];
        info.Dequantize!(bytes, y);
        Assert.Equal(x, y);
    }

    [Fact]
    public void I2S_Layout_IsMsbFirstInterleaved()
    {
        var trits = new sbyte[256];
        trits[0] = 1;         // block 0 byte 0 bits 7-6
        trits[32 + 1] = -1;   // block 0 byte 1 bits 5-4
        trits[128 + 96 + 2] = 1; // block 1 byte 2 bits 1-0
        var bytes = new byte[I2S.TensorBytes(256)];
        I2S.Encode(trits, 0.5f, bytes);
        Assert.Equal(0b10_01_01_01, bytes[0]);
        Assert.Equal(0b01_00_01_01, bytes[1]);
        Assert.Equal(0b01_01_01_10, bytes[32 + 2]);
        Assert.Equal(0.5f, BitConverter.ToSingle(bytes, 64));
        var back = new sbyte[256];
        Assert.Equal(0.5f, I2S.Decode(bytes, back));
        Assert.Equal(trits, back);
    }

    [Fact]
    public void Q8_0_ReferenceQuantizer_RoundsHalfAwayAndDequantizes()
    {
        var x = new float[32];
        for (int i = 0; i < 32; i++) x[i] = (i - 16) / 16f;
        var b = new byte[34];
        Q8_0.QuantizeRowReference(x, b);
        var y = new float[32];
        Q8_0.DequantizeRow(b, y);
        float d = FloatFormats.HalfToFloat(BitConverter.ToUInt16(b, 0));
        Assert.Equal(FloatFormats.HalfToFloat(FloatFormats.FloatToHalf(1f / 127f)), d);
        for (int i = 0; i < 32; i++) Assert.InRange(MathF.Abs(y[i] - x[i]), 0f, d);
    }

    [Theory]
    [InlineData(QuantType.TQ2_0)]
    [InlineData(QuantType.TQ1_0)]
    [InlineData(QuantType.I2_S)]
    public void TernaryMatrix_ThroughTensorBytes_IsLossless(QuantType type)
    {
        TernaryMatrix m = SyntheticModel.Ternary("w", 6, 512, seed: 3);
        byte[] bytes = TernaryTensorCodec.Encode(m, type, type == QuantType.I2_S ? m.Scale : 1f);
        var (packed, scale) = TernaryTensorCodec.Decode("w", 6, 512, type, bytes);
        Assert.Equal(m.Packed.ToArray(), packed);
        Assert.Equal(type == QuantType.I2_S ? m.Scale : 1f, scale);
    }

    [Fact]
    public void TqDecode_BlocksWithDifferentD_IsRejectedNamingTensor()
    {
        TernaryMatrix m = SyntheticModel.Ternary("w", 2, 256, seed: 4);
        byte[] bytes = TernaryTensorCodec.Encode(m, QuantType.TQ2_0, 1f);
        bytes[66 + Tq2_0.DOffset + 1] ^= 0x04; // change block 1's d
        var e = Assert.Throws<InvalidDataException>(() => TernaryTensorCodec.Decode("blk.0.attn_q.weight", 2, 256, QuantType.TQ2_0, bytes));
        Assert.Contains("blk.0.attn_q.weight", e.Message);
    }
}
