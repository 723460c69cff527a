using BitRom.Numerics.Floats;
using Xunit;

namespace BitRom.Tests.Foundation;

public class FloatFormatTests
{
    [Theory]
    [InlineData(0x3C00, 1f)]
    [InlineData(0xC000, -2f)]
    [InlineData(0x7BFF, 65504f)]
    [InlineData(0x0001, 5.9604645e-8f)]
    public void HalfToFloat_KnownPatterns(int bits, float value) => Assert.Equal(value, FloatFormats.HalfToFloat((ushort)bits));

    [Theory]
    [InlineData(0x3F80, 1f)]
    [InlineData(0xC040, -3f)]
    [InlineData(0x3E80, 0.25f)]
    public void BFloat16ToFloat_KnownPatterns(int bits, float value) => Assert.Equal(value, FloatFormats.BFloat16ToFloat((ushort)bits));

    [Fact]
    public void FloatToBFloat16_TiesRoundToEven()
    {
        // 1 + 2^-8 is exactly halfway between bf16 1.0 (0x3F80) and 1.0078125 (0x3F81): even wins.
        Assert.Equal(0x3F80, FloatFormats.FloatToBFloat16(1f + 1f / 256));
        // 1.0078125 + 2^-8 is halfway between 0x3F81 and 0x3F82: even is 0x3F82.
        Assert.Equal(0x3F82, FloatFormats.FloatToBFloat16(1.0078125f + 1f / 256));
        Assert.True(float.IsNaN(FloatFormats.BFloat16ToFloat(FloatFormats.FloatToBFloat16(float.NaN))));
    }

    [Fact]
    public void DenseMatrix_Q8_0_DecodesDTimesQ()
    {
        var bytes = new byte[34];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 2), (ushort)0x3800); // fp16 0.5
        bytes[2] = 4;
        bytes[3] = unchecked((byte)-6);
        var m = new DenseMatrix("e", 1, 32, DenseElementType.Q8_0, bytes);
        var row = new float[32];
        m.DecodeRow(0, row);
        Assert.Equal(2f, row[0]);
        Assert.Equal(-3f, row[1]);
        Assert.Equal(0f, row[2]);
    }
}
