using BitRom.Model.Formats.Safetensors;
using BitRom.Numerics.Quant;

namespace BitRom.Model.Formats.Gguf;

/// <summary>
/// A parsed GGUF v2/v3 file (ggml <c>docs/gguf.md</c>, FORMATS.md §3.1): metadata, tensor infos and zero-copy
/// views of the tensor data (memory-mapped for files on disk). Untrusted input: every size, count and offset is
/// checked against the real file length before allocating or reading, and any malformation throws
/// <see cref="InvalidDataException"/> naming the file, the byte offset and the problem.
/// </summary>
/// <remarks>Contract: tensor views stay valid until <see cref="Dispose"/>. Immutable otherwise.</remarks>
public sealed partial class GgufFile : IDisposable
{
    /// <summary>'G' 'G' 'U' 'F' read as a little-endian u32.</summary>
    public const uint Magic = 0x46554747;

    /// <summary>Default <c>general.alignment</c> (<c>GGUF_DEFAULT_ALIGNMENT</c>).</summary>
    public const int DefaultAlignment = 32;

    /// <summary>Longest tensor name ggml accepts (<c>GGML_MAX_NAME</c> = 64).</summary>
    public const int MaxTensorNameBytes = 64;

    /// <summary>Most dimensions of a tensor (<c>GGML_MAX_DIMS</c>).</summary>
    public const int MaxDims = 4;

    /// <summary><c>general.file_type</c> of bitnet.cpp's I2_S files (<c>LLAMA_FTYPE_MOSTLY_I2_S</c> in its fork; FORMATS.md §4.1).</summary>
    public const int BitNetCppI2SFileType = 40;

    /// <summary>Architecture names only bitnet.cpp's fork writes (FORMATS.md §4.1).</summary>
    public static readonly IReadOnlySet<string> BitNetCppArchitectures = new HashSet<string> { "bitnet-b1.58", "bitnet-25" };

    private readonly MappedFile _map;
    private readonly Dictionary<string, GgufTensorInfo> _byName;

    private GgufFile(string path, long length, MappedFile map, uint version, Dictionary<string, object> metadata,
        List<GgufTensorInfo> tensors, int alignment, long dataOffset, bool bitnetCpp)
    {
        Path = path;
        FileLength = length;
        _map = map;
        Version = version;
        Metadata = metadata;
        Tensors = tensors;
        Alignment = alignment;
        DataOffset = dataOffset;
        IsBitNetCpp = bitnetCpp;
        _byName = tensors.ToDictionary(t => t.Name);
    }

    /// <summary>File name used in messages.</summary>
    public string Path { get; }
    /// <summary>Bytes in the file.</summary>
    public long FileLength { get; }
    /// <summary>GGUF version (2 or 3).</summary>
    public uint Version { get; }
    /// <summary>Metadata in file order: primitives, strings, typed arrays (nested arrays as object[]).</summary>
    public IReadOnlyDictionary<string, object> Metadata { get; }
    /// <summary>Tensor infos in file order.</summary>
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }
    /// <summary><c>general.alignment</c>.</summary>
    public int Alignment { get; }
    /// <summary>Absolute offset of the tensor data section.</summary>
    public long DataOffset { get; }
    /// <summary>The file came from bitnet.cpp's fork, so type id 36 means I2_S.</summary>
    public bool IsBitNetCpp { get; }
    /// <summary><c>general.architecture</c>, or null.</summary>
    public string? Architecture => Metadata.TryGetValue("general.architecture", out object? a) ? a as string : null;

    /// <summary>Memory-maps and parses <paramref name="path"/>.</summary>
    public static GgufFile Open(string path)
    {
        long length = new FileInfo(path).Length;
        if (length < HeaderBytes) throw new InvalidDataException($"{path}: at byte 0: file of {length} bytes is shorter than a GGUF header ({HeaderBytes} bytes)");
        MappedFile map = MappedFile.Open(path);
        try
        {
            return Parse(map, path);
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    /// <summary>Parses a file held in memory (tests, fuzzing); tensor views are slices of <paramref name="data"/>.</summary>
    public static GgufFile Parse(byte[] data, string name = "<memory>") => Parse(MappedFile.FromBytes(name, data), name);

    /// <summary>The tensor called <paramref name="name"/>, or null.</summary>
    public GgufTensorInfo? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The tensor called <paramref name="name"/>; throws <see cref="InvalidDataException"/> naming the file when missing.</summary>
    public GgufTensorInfo Require(string name) =>
        Find(name) ?? throw new InvalidDataException($"{Path}: tensor '{name}' is missing");

    /// <summary>The bytes of <paramref name="t"/>, a view without copying.</summary>
    public ReadOnlyMemory<byte> TensorData(GgufTensorInfo t)
    {
        if (!_byName.TryGetValue(t.Name, out GgufTensorInfo? own) || !ReferenceEquals(own, t))
            throw new ArgumentException($"tensor '{t.Name}' does not belong to {Path}");
        if (t.ByteSize > int.MaxValue)
            throw new InvalidDataException($"{Path}: tensor '{t.Name}' has {t.ByteSize} bytes, more than one view can hold");
        long at = DataOffset + t.Offset;
        return _map.Slice(at, t.ByteSize);
    }

    /// <summary>Drops the pages of <paramref name="t"/> from the resident set once it has been decoded elsewhere (<see cref="MappedFile.Release"/>).</summary>
    public void ReleaseTensor(GgufTensorInfo t)
    {
        TensorData(t); // validates ownership and size
        _map.Release(DataOffset + t.Offset, t.ByteSize);
    }

    /// <summary>Releases the memory map; tensor views must not be used afterwards.</summary>
    public void Dispose() => _map.Dispose();
}
