using System.Buffers.Binary;
using System.Text;
using BitRom.Model.Formats.Safetensors;
using Xunit;

namespace BitRom.Tests.Formats.Hf;

public class SafetensorsTests
{
    /// <summary>A file from a literal header json and a data buffer (no padding, as a hostile writer would).</summary>
    internal static byte[] Raw(string json, int dataBytes)
    {
        byte[] h = Encoding.UTF8.GetBytes(json);
        var b = new byte[8 + h.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(b, (ulong)h.Length);
        h.CopyTo(b, 8);
        for (int i = 0; i < dataBytes; i++) b[8 + h.Length + i] = (byte)(i * 7 + 1);
        return b;
    }

    private static byte[] Floats(params float[] v)
    {
        var b = new byte[v.Length * 4];
        for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(i * 4), v[i]);
        return b;
    }

    [Fact]
    public void Write_ThenRead_RoundTripsDtypesShapesMetadataAndBytes()
    {
        var tensors = new List<SafetensorsTensor>
        {
            new("a.weight", SafetensorsDType.F32, [2, 3], Floats(1, 2, 3, 4, 5, 6.5f)),
            new("b.weight", SafetensorsDType.U8, [1, 5], new byte[] { 0, 1, 2, 0x55, 0xAA }),
            new("c.scale", SafetensorsDType.BF16, [1], new byte[] { 0xC0, 0x3F }), // bf16 1.5
            new("empty", SafetensorsDType.F16, [0, 4], Array.Empty<byte>()),
        };
        using var ms = new MemoryStream();
        SafetensorsWriter.Write(ms, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        byte[] bytes = ms.ToArray();
        Assert.Equal(0UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes) % 8);

        using SafetensorsFile f = SafetensorsFile.FromBytes("mem", bytes);
        Assert.Equal("pt", f.Header.Metadata["format"]);
        Assert.Equal([1f, 2, 3, 4, 5, 6.5f], f.ReadFloats("a.weight"));
        Assert.Equal(new byte[] { 0, 1, 2, 0x55, 0xAA }, f.Data("b.weight").ToArray());
        Assert.Equal([1.5f], f.ReadFloats("c.scale"));
        Assert.Equal([5L], f.Info("b.weight").Shape[1..]);
        Assert.Empty(f.ReadFloats("empty"));
    }

    [Fact]
    public void Open_MapsFileFromDisk_SameAsInMemory()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir, "x.safetensors");
        SafetensorsWriter.Write(path, [new("w", SafetensorsDType.F32, [3], Floats(-1, 0.25f, 7))]);
        using SafetensorsFile f = SafetensorsFile.Open(path);
        Assert.Equal([-1f, 0.25f, 7], f.ReadFloats("w"));
    }

    [Fact]
    public void Header_OutOfOrderEntriesThatTileTheBuffer_AreAccepted()
    {
        byte[] b = Raw("""{"b":{"dtype":"U8","shape":[2],"data_offsets":[2,4]},"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}""", 4);
        using SafetensorsFile f = SafetensorsFile.FromBytes("mem", b);
        Assert.Equal(["a", "b"], f.Header.Tensors.Select(t => t.Name));
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[2],"data_offsets":[2,4]}}""", 4, "overlaps")]
    [InlineData("""{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[1],"data_offsets":[3,4]}}""", 4, "hole")]
    [InlineData("""{"a":{"dtype":"U8","shape":[8],"data_offsets":[0,8]}}""", 4, "runs past")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}""", 4, "does not fill")]
    [InlineData("""{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}""", 4, "after the last tensor")]
    [InlineData("""{"a":{"dtype":"Q4","shape":[2],"data_offsets":[0,2]}}""", 2, "unknown dtype")]
    [InlineData("""{"a":{"dtype":"U8","shape":[-2],"data_offsets":[0,2]}}""", 2, "dimension 0")]
    [InlineData("""{"a":{"dtype":"U8","shape":[2],"data_offsets":[2,0]}}""", 2, "begin <= end")]
    [InlineData("""{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,16]}}""", 16, "does not fill")]
    [InlineData("""{"__metadata__":{"k":1}}""", 0, "not a string")]
    [InlineData("""[1,2]""", 0, "does not start")]
    [InlineData("""{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}""", 2, "duplicate")]
    public void Parse_MalformedHeader_ThrowsNamingTheFault(string json, int dataBytes, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.FromBytes("bad.safetensors", Raw(json, dataBytes)));
        Assert.Contains(expected, e.Message);
        Assert.Contains("bad.safetensors", e.Message);
        Assert.Contains("offset", e.Message);
    }

    [Fact]
    public void Parse_HeaderLengthBeyondFile_Throws()
    {
        byte[] b = Raw("{}", 0);
        BinaryPrimitives.WriteUInt64LittleEndian(b, 1000);
        Assert.Contains("exceeds", Assert.Throws<InvalidDataException>(() => SafetensorsFile.FromBytes("f", b)).Message);
        Assert.Throws<InvalidDataException>(() => SafetensorsFile.FromBytes("f", new byte[5]));
        BinaryPrimitives.WriteUInt64LittleEndian(b, ulong.MaxValue);
        Assert.Throws<InvalidDataException>(() => SafetensorsFile.FromBytes("f", b));
    }

    [Fact]
    public void Sharded_WriteThenOpen_FindsEveryTensorInItsShard()
    {
        using var dir = new TempDir();
        var tensors = Enumerable.Range(0, 7).Select(i => new SafetensorsTensor($"t{i}", SafetensorsDType.F32, [5], Floats(i, i + 1, i + 2, i + 3, i + 4))).ToList();
        SafetensorsWriter.WriteSharded(dir, tensors, maxShardBytes: 45);
        Assert.Equal(4, Directory.GetFiles(dir, "*.safetensors").Length);
        Assert.True(File.Exists(Path.Combine(dir, "model-00004-of-00004.safetensors")));
        using SafetensorsCheckpoint c = SafetensorsCheckpoint.Open(dir);
        Assert.Equal(4, c.Files.Count);
        for (int i = 0; i < 7; i++) Assert.Equal([i, i + 1f, i + 2, i + 3, i + 4], c.ReadFloats($"t{i}"));
        Assert.Throws<InvalidDataException>(() => c.Info("missing"));
    }

    [Fact]
    public void Sharded_IndexPointingOutsideFolderOrAtWrongShard_Throws()
    {
        Assert.Throws<InvalidDataException>(() => SafetensorsCheckpoint.ParseIndex(Encoding.UTF8.GetBytes("""{"weight_map":{"a":"../x.safetensors"}}"""), "idx"));
        Assert.Throws<InvalidDataException>(() => SafetensorsCheckpoint.ParseIndex(Encoding.UTF8.GetBytes("""{"weight_map":{"a":"/etc/passwd"}}"""), "idx"));
        Assert.Throws<InvalidDataException>(() => SafetensorsCheckpoint.ParseIndex(Encoding.UTF8.GetBytes("""{"weight_map":{"a":3}}"""), "idx"));

        using var dir = new TempDir();
        SafetensorsWriter.WriteSharded(dir, [new("a", SafetensorsDType.U8, [1], new byte[] { 1 }), new("b", SafetensorsDType.U8, [1], new byte[] { 1 })], 1);
        File.WriteAllText(Path.Combine(dir, SafetensorsCheckpoint.IndexFileName), """{"weight_map":{"a":"model-00002-of-00002.safetensors"}}""");
        Assert.Contains("does not hold", Assert.Throws<InvalidDataException>(() => SafetensorsCheckpoint.Open(dir)).Message);
    }

    [Fact]
    public void Open_EmptyFolder_ThrowsFileNotFound()
    {
        using var dir = new TempDir();
        Assert.Throws<FileNotFoundException>(() => SafetensorsCheckpoint.Open(dir));
    }
}
