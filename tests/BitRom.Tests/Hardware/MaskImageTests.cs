using BitRom.Hardware.Components;
using BitRom.Hardware.Mapping;
using BitRom.Hardware.Mask;
using BitRom.Numerics.Ternary;
using Xunit;

namespace BitRom.Tests.Hardware;

public class MaskImageTests
{
    private static (RomImage Image, TernaryMatrix[] Matrices) Compiled(bool pack)
    {
        TernaryMatrix[] ms =
        [
            ChipTestData.Matrix("blk.0.attn_q", 40, 100, 1),   // 2 input blocks, 2 output blocks
            ChipTestData.Matrix("blk.0.attn_k", 20, 64, 2),    // exactly one block: plane B empty
            ChipTestData.Matrix("blk.1.ffn_down", 70, 30, 3),  // K < rows, 3 output blocks
        ];
        return (RomImage.Compile(ms, ChipTestData.Small() with { Pack = pack }), ms);
    }

    private static byte[] Bytes(RomImage image)
    {
        var stream = new MemoryStream();
        MaskImage.Write(image, stream);
        return stream.ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WriteRead_RoundTrip_IdenticalTritsAndMapping(bool pack)
    {
        (RomImage image, TernaryMatrix[] ms) = Compiled(pack);
        RomImage back = MaskImageReader.Read(Bytes(image), "test.mask");

        Assert.Equal(image.ModelHash, back.ModelHash);
        Assert.Equal(image.Mapping.Macros, back.Mapping.Macros);
        for (int i = 0; i < ms.Length; i++)
        {
            MatrixMapping a = image.Mapping.Matrices[i], b = back.Mapping.Matrices[i];
            Assert.Equal(a.Shape, b.Shape);
            Assert.Equal(a.Assignment, b.Assignment);
            Assert.Equal(a.Blocks, b.Blocks);
            Assert.Equal(ms[i].ToTrits(), back.ReadTrits(i));
            Assert.Equal(ms[i].ToTrits(), image.ReadTrits(i));
        }
        for (int m = 0; m < image.Mapping.Macros.Count; m++)
            Assert.True(image.Macro(m).Cells.SequenceEqual(back.Macro(m).Cells));
    }

    [Fact]
    public void Read_CorruptedByte_DetectedByChecksum()
    {
        byte[] bytes = Bytes(Compiled(false).Image);
        foreach (int at in new[] { 20, bytes.Length / 2, bytes.Length - 40 })
        {
            byte[] bad = (byte[])bytes.Clone();
            bad[at] ^= 0x10;
            var e = Assert.Throws<InvalidDataException>(() => MaskImageReader.Read(bad, "bad.mask"));
            Assert.Contains("checksum", e.Message);
            Assert.Contains("bad.mask", e.Message);
        }
    }

    [Fact]
    public void Read_Truncated_Rejected()
    {
        byte[] bytes = Bytes(Compiled(false).Image);
        Assert.Throws<InvalidDataException>(() => MaskImageReader.Read(bytes.AsSpan(0, bytes.Length - 7), "cut.mask"));
        Assert.Throws<InvalidDataException>(() => MaskImageReader.Read(bytes.AsSpan(0, 30), "cut.mask"));
    }

    [Fact]
    public void Read_UnwiredCellWithValidChecksum_RejectedNamingMacroAndCell()
    {
        byte[] bytes = Bytes(Compiled(false).Image);
        int header = BitConverter.ToInt32(bytes, 12);
        bytes[header + 5] &= 0xF0; // cell 10 of macro 0: E and O codes 0 = unwired
        System.Security.Cryptography.SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)).CopyTo(bytes, bytes.Length - 32);
        var e = Assert.Throws<InvalidDataException>(() => MaskImageReader.Read(bytes, "forged.mask"));
        Assert.Contains("macro 0", e.Message);
        Assert.Contains("cell 10", e.Message);
    }

    [Fact]
    public void BiRoma_LineMap_MatchesPaper()
    {
        Assert.Equal(0, BiRoma.TritOf(Line.M1));
        Assert.Equal(1, BiRoma.TritOf(Line.M2));
        Assert.Equal(-1, BiRoma.TritOf(Line.M3));
        var roma = new BiRoma(4, 3);
        roma.Wire(Direction.F, 1, 2, 1);
        roma.Wire(Direction.B, 1, 2, -1);
        Assert.Equal(Line.M2, roma.E(1, 2));
        Assert.Equal(Line.M3, roma.O(1, 2));
        Assert.Equal(1, roma.Read(Direction.F, 1)[2]);
        Assert.Equal(-1, roma.Read(Direction.B, 1)[2]);
        Assert.Equal(0, roma.Read(Direction.F, 0)[0]);
    }
}
