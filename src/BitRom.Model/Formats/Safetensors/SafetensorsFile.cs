using System.Buffers.Binary;
using BitRom.Numerics.Quant;

namespace BitRom.Model.Formats.Safetensors;

/// <summary>
/// One <c>.safetensors</c> file: its checked header and memory-mapped tensor data.
/// Contract: immutable; tensor memory stays valid until <see cref="Dispose"/>.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    private readonly MappedFile _file;

    private SafetensorsFile(MappedFile file, SafetensorsHeader header)
    {
        _file = file;
        Header = header;
    }

    /// <summary>File name (for messages).</summary>
    public string Name => _file.Name;

    /// <summary>The parsed header.</summary>
    public SafetensorsHeader Header { get; }

    /// <summary>Opens and validates <paramref name="path"/>; the tensor bytes are mapped, not read.</summary>
    public static SafetensorsFile Open(string path) => Over(MappedFile.Open(path));

    /// <summary>Parses a file held in memory (tests and fuzzing).</summary>
    public static SafetensorsFile FromBytes(string name, byte[] bytes) => Over(MappedFile.FromBytes(name, bytes));

    private static SafetensorsFile Over(MappedFile file)
    {
        try
        {
            long headerEnd = 8;
            if (file.Length >= 8)
            {
                ulong n = BinaryPrimitives.ReadUInt64LittleEndian(file.Slice(0, 8).Span);
                if (n <= SafetensorsHeader.MaxHeaderBytes && (long)n <= file.Length - 8) headerEnd = 8 + (long)n;
            }
            ReadOnlySpan<byte> start = file.Length >= 8 ? file.Slice(0, headerEnd).Span : file.Slice(0, file.Length).Span;
            return new SafetensorsFile(file, SafetensorsHeader.Parse(start, file.Length, file.Name));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>True when the file holds <paramref name="name"/>.</summary>
    public bool Contains(string name) => Header.ByName.ContainsKey(name);

    /// <summary>The entry of <paramref name="name"/>; throws naming the file when absent.</summary>
    public SafetensorsTensorInfo Info(string name) =>
        Header.ByName.TryGetValue(name, out SafetensorsTensorInfo? t) ? t : throw new InvalidDataException($"{Name}: no tensor '{name}'");

    /// <summary>The raw little-endian bytes of <paramref name="name"/> (mapped, not copied).</summary>
    public ReadOnlyMemory<byte> Data(string name)
    {
        SafetensorsTensorInfo t = Info(name);
        return _file.Slice(t.Offset, t.Length);
    }

    /// <summary>The values of a floating tensor (F32, F16, BF16, F64) as float32; exact for the 16-bit types.</summary>
    public float[] ReadFloats(string name) => DecodeFloats(Info(name), Data(name).Span, Name);

    /// <summary>Decodes floating data of <paramref name="t"/>; throws for non-float dtypes.</summary>
    public static float[] DecodeFloats(SafetensorsTensorInfo t, ReadOnlySpan<byte> data, string fileName)
    {
        var v = new float[t.ElementCount];
        switch (t.DType)
        {
            case SafetensorsDType.F32:
                ScalarCodecs.DecodeF32(data, v);
                break;
            case SafetensorsDType.F16:
                ScalarCodecs.DecodeF16(data, v);
                break;
            case SafetensorsDType.BF16:
                ScalarCodecs.DecodeBF16(data, v);
                break;
            case SafetensorsDType.F64:
                for (int i = 0; i < v.Length; i++) v[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(data[(i * 8)..]);
                break;
            default:
                throw new InvalidDataException($"{fileName}: offset {t.Offset}: tensor '{t.Name}' has dtype {t.DType}, a floating type is needed");
        }
        return v;
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
