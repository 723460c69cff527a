using System.Buffers.Binary;
using BitRom.Model.Formats.Gguf;
using BitRom.Numerics.Quant;
using Xunit;

namespace BitRom.Tests.Formats.Gguf;

public class GgufFileTests
{
    internal static byte[] ToBytes(GgufWriter w)
    {
        using var ms = new MemoryStream();
        w.Write(ms);
        return ms.ToArray();
    }

    internal static GgufWriter Sample(int alignment = 32)
    {
        var w = new GgufWriter(alignment)
            .Add("general.architecture", "llama")
            .Add("u8", (byte)200).Add("i8", (sbyte)-5).Add("u16", (ushort)60000).Add("i16", (short)-300)
            .Add("u32", 4000000000u).Add("i32", -7).Add("f32", 1.5f).Add("bool", true).Add("str", "héllo")
            .Add("u64", ulong.MaxValue).Add("i64", long.MinValue).Add("f64", Math.PI)
            .Add("arr.str", new[] { "a", "", "ĠĊ" }).Add("arr.f32", new[] { 1f, -2f })
            .Add("arr.nested", new object[] { new int[] { 1, 2 }, new string[] { "x" }, new object[] { new bool[] { true } } });
        w.AddTensor("t.f32", QuantType.F32, [3, 2], new byte[24]);
        var tq = new byte[66 * 2];
        for (int i = 0; i < tq.Length; i++) tq[i] = (byte)(i % 3 == 0 ? 0x55 : 0x16);
        w.AddTensor("t.tq2", QuantType.TQ2_0, [256, 2], tq);
        w.AddTensor("t.scalar", QuantType.F32, [1], BitConverter.GetBytes(2.5f));
        return w;
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    public void WriterThenReader_AllValueTypesAndTensors_RoundTrip(int alignment)
    {
        byte[] bytes = ToBytes(Sample(alignment));
        using GgufFile f = GgufFile.Parse(bytes, "sample.gguf");
        Assert.Equal(3u, f.Version);
        Assert.Equal(alignment, f.Alignment);
        Assert.Equal((byte)200, f.Metadata["u8"]);
        Assert.Equal((sbyte)-5, f.Metadata["i8"]);
        Assert.Equal((ushort)60000, f.Metadata["u16"]);
        Assert.Equal((short)-300, f.Metadata["i16"]);
        Assert.Equal(4000000000u, f.Metadata["u32"]);
        Assert.Equal(-7, f.Metadata["i32"]);
        Assert.Equal(1.5f, f.Metadata["f32"]);
        Assert.Equal(true, f.Metadata["bool"]);
        Assert.Equal("héllo", f.Metadata["str"]);
        Assert.Equal(ulong.MaxValue, f.Metadata["u64"]);
        Assert.Equal(long.MinValue, f.Metadata["i64"]);
        Assert.Equal(Math.PI, f.Metadata["f64"]);
        Assert.Equal(new[] { "a", "", "ĠĊ" }, f.Metadata["arr.str"]);
        Assert.Equal(new[] { 1f, -2f }, f.Metadata["arr.f32"]);
        var nested = Assert.IsType<object[]>(f.Metadata["arr.nested"]);
        Assert.Equal(new[] { 1, 2 }, nested[0]);
        Assert.Equal(new[] { "x" }, nested[1]);
        Assert.Equal(new[] { true }, Assert.IsType<object[]>(nested[2])[0]);
        Assert.Equal(3, f.Tensors.Count);
        Assert.All(f.Tensors, t => Assert.Equal(0, t.Offset % alignment));
        Assert.Equal(0, f.DataOffset % alignment);
        GgufTensorInfo tq = f.Require("t.tq2");
        Assert.Equal(QuantType.TQ2_0, tq.Type);
        Assert.Equal(new long[] { 256, 2 }, tq.Shape);
        Assert.Equal((byte)0x16, f.TensorData(tq).Span[1]);
        Assert.Equal(2.5f, BitConverter.ToSingle(f.TensorData(f.Require("t.scalar")).Span));
        Assert.Equal(bytes.Length, f.DataOffset + f.Require("t.scalar").Offset + alignment); // last tensor padded
    }

    [Fact]
    public void Open_FromDisk_MapsTensorsWithoutCopy()
    {
        string path = Path.Combine(Path.GetTempPath(), $"bitrom-gguf-{Guid.NewGuid():N}.gguf");
        try
        {
            Sample().Write(path);
            using GgufFile f = GgufFile.Open(path);
            ReadOnlyMemory<byte> data = f.TensorData(f.Require("t.scalar"));
            Assert.False(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data, out _)); // a mapped view, not an array
            Assert.Equal(2.5f, BitConverter.ToSingle(data.Span));
        }
        finally { File.Delete(path); }
    }

    private static InvalidDataException Rejects(byte[] bytes) => Assert.Throws<InvalidDataException>(() => GgufFile.Parse(bytes, "bad.gguf"));

    [Fact]
    public void Parse_HugeStringLength_IsRejectedBeforeAllocating()
    {
        byte[] bytes = ToBytes(new GgufWriter().Add("k", "v"));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(24), 1UL << 60); // key length
        InvalidDataException e = Rejects(bytes);
        Assert.Contains("bad.gguf", e.Message);
        Assert.Contains("at byte 24", e.Message);
    }

    [Fact]
    public void Parse_HugeArrayCount_IsRejected()
    {
        byte[] bytes = ToBytes(new GgufWriter().Add("k", new[] { 1, 2, 3 }));
        int countAt = 24 + 8 + 1 + 4 + 4;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(countAt), 1UL << 40);
        Assert.Contains("cannot fit", Rejects(bytes).Message);
    }

    [Fact]
    public void Parse_TensorBeyondFile_IsRejected()
    {
        byte[] bytes = ToBytes(Sample());
        Assert.Contains("beyond", Rejects(bytes[..^40]).Message);
    }

    [Fact]
    public void Parse_OverlappingTensors_AreRejected()
    {
        var w = new GgufWriter();
        w.AddTensor("a", QuantType.F32, [16], new byte[64]);
        w.AddTensor("b", QuantType.F32, [16], new byte[64]);
        byte[] bytes = ToBytes(w);
        // b's offset field is the last 8 bytes of the tensor infos; point it at a's data.
        int infoEnd = 24 + (8 + 1 + 4 + 8 + 4 + 8) * 2;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(infoEnd - 8), 32);
        Assert.Contains("overlaps", Rejects(bytes).Message);
    }

    [Fact]
    public void Parse_TypeId36WithoutBitNetCppMarkers_IsRejected()
    {
        var w = new GgufWriter().Add("general.architecture", "bitnet-25");
        w.AddTensor("w", QuantType.I2_S, [128, 2], new byte[64 + 32]);
        byte[] ok = ToBytes(w);
        using (GgufFile f = GgufFile.Parse(ok)) Assert.Equal(QuantType.I2_S, f.Require("w").Type);
        byte[] bad = ToBytes(new GgufWriter().Add("general.architecture", "bitnet-2x").AddTensor("w", QuantType.I2_S, [128, 2], new byte[96]));
        Assert.Contains("36", Rejects(bad).Message);
    }

    [Fact]
    public void Parse_BadMagicAndVersion_AreRejected()
    {
        byte[] bytes = ToBytes(new GgufWriter());
        bytes[0] = (byte)'X';
        Assert.Contains("magic", Rejects(bytes).Message);
        bytes = ToBytes(new GgufWriter());
        bytes[4] = 1;
        Assert.Contains("version", Rejects(bytes).Message);
    }
}
