using System.Buffers.Binary;
using System.Text.Json;

namespace BitRom.Model.Formats.Safetensors;

/// <summary>One tensor entry of a safetensors header; <see cref="Offset"/> is absolute in the file.</summary>
public sealed record SafetensorsTensorInfo(string Name, SafetensorsDType DType, long[] Shape, long Offset, long Length)
{
    /// <summary>Number of elements (product of the shape; 1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>
/// The safetensors header (huggingface/safetensors <c>README.md</c> "Format"): u64 little-endian N, then N bytes of
/// UTF-8 JSON <c>{ name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string} }</c>, then the
/// byte buffer the offsets index. Parsing is pure and checks everything against the file length before use.
/// </summary>
public sealed class SafetensorsHeader
{
    /// <summary>Largest header accepted: 100,000,000 bytes, the limit of the reference implementation (<c>MAX_HEADER_SIZE</c>).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>Largest dimension count accepted (tensors of real checkpoints have at most 4).</summary>
    public const int MaxRank = 8;

    private SafetensorsHeader(IReadOnlyList<SafetensorsTensorInfo> tensors, IReadOnlyDictionary<string, string> metadata, long dataStart)
    {
        Tensors = tensors;
        Metadata = metadata;
        DataStart = dataStart;
        ByName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>Tensors in file order (by offset).</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    /// <summary>Tensors by name.</summary>
    public IReadOnlyDictionary<string, SafetensorsTensorInfo> ByName { get; }

    /// <summary>The <c>__metadata__</c> map (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Absolute offset of the byte buffer: 8 + N.</summary>
    public long DataStart { get; }

    /// <summary>
    /// Parses the header of a file of <paramref name="fileLength"/> bytes whose first bytes are <paramref name="start"/>
    /// (at least 8 + N of them, or the whole file). Throws <see cref="InvalidDataException"/> naming
    /// <paramref name="fileName"/>, the offset and the fault.
    /// </summary>
    public static SafetensorsHeader Parse(ReadOnlySpan<byte> start, long fileLength, string fileName)
    {
        if (fileLength < 8 || start.Length < 8)
            throw Bad(fileName, 0, $"file of {fileLength} bytes is shorter than the 8-byte header length");
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(start);
        if (n > MaxHeaderBytes) throw Bad(fileName, 0, $"header length {n} exceeds the limit of {MaxHeaderBytes} bytes");
        if ((long)n > fileLength - 8) throw Bad(fileName, 0, $"header length {n} exceeds the {fileLength - 8} bytes after it");
        if (n < 2) throw Bad(fileName, 8, $"header of {n} bytes cannot hold a JSON object");
        if (start.Length < 8 + (long)n) throw new ArgumentException($"{fileName}: {start.Length} bytes given, the header needs {8 + (long)n}");
        ReadOnlySpan<byte> json = start.Slice(8, (int)n);
        if (json[0] != (byte)'{') throw Bad(fileName, 8, $"header does not start with '{{' (byte 0x{json[0]:X2})");
        long dataStart = 8 + (long)n;
        long dataLength = fileLength - dataStart;

        // The format allows trailing spaces as padding; JSON parsing ignores them.
        return UntrustedJson.Read(json, fileName, 8, root =>
        {
            if (root.ValueKind != JsonValueKind.Object) throw Bad(fileName, 8, "header is not a JSON object");
            var tensors = new List<SafetensorsTensorInfo>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty p in root.EnumerateObject())
            {
                if (!seen.Add(p.Name)) throw Bad(fileName, 8, $"duplicate header key '{p.Name}'");
                if (p.Name == "__metadata__") ReadMetadata(p.Value, metadata, fileName);
                else tensors.Add(ReadTensor(p, dataStart, dataLength, fileName));
            }
            CheckRanges(tensors, dataStart, dataLength, fileName);
            tensors.Sort((a, b) => a.Offset.CompareTo(b.Offset));
            return new SafetensorsHeader(tensors, metadata, dataStart);
        }, fileOffset: 8);
    }

    private static void ReadMetadata(JsonElement e, Dictionary<string, string> metadata, string fileName)
    {
        if (e.ValueKind != JsonValueKind.Object) throw Bad(fileName, 8, "__metadata__ is not an object");
        foreach (JsonProperty m in e.EnumerateObject())
        {
            if (m.Value.ValueKind != JsonValueKind.String) throw Bad(fileName, 8, $"__metadata__ value '{m.Name}' is not a string");
            if (!metadata.TryAdd(m.Name, m.Value.GetString()!)) throw Bad(fileName, 8, $"duplicate __metadata__ key '{m.Name}'");
        }
    }

    private static SafetensorsTensorInfo ReadTensor(JsonProperty p, long dataStart, long dataLength, string fileName)
    {
        string where = $"tensor '{p.Name}'";
        if (p.Value.ValueKind != JsonValueKind.Object) throw Bad(fileName, 8, $"{where} is not an object");
        if (!p.Value.TryGetProperty("dtype", out JsonElement dt) || dt.ValueKind != JsonValueKind.String)
            throw Bad(fileName, 8, $"{where} has no string 'dtype'");
        if (!SafetensorsDTypes.TryParse(dt.GetString()!, out SafetensorsDType dtype))
            throw Bad(fileName, 8, $"{where} has unknown dtype '{dt.GetString()}'");
        if (!p.Value.TryGetProperty("shape", out JsonElement sh) || sh.ValueKind != JsonValueKind.Array)
            throw Bad(fileName, 8, $"{where} has no array 'shape'");
        if (sh.GetArrayLength() > MaxRank) throw Bad(fileName, 8, $"{where} has {sh.GetArrayLength()} dimensions (at most {MaxRank})");
        var shape = new long[sh.GetArrayLength()];
        int i = 0;
        foreach (JsonElement d in sh.EnumerateArray())
        {
            if (!TryInt(d, out long v) || v < 0)
                throw Bad(fileName, 8, $"{where} dimension {i} is not a non-negative integer");
            shape[i++] = v;
        }
        // Saturating product: anything above the data length cannot fit, and the multiplication never overflows.
        long count = shape.Contains(0) ? 0 : 1;
        foreach (long v in shape)
        {
            if (count == 0) break;
            count = count > dataLength / v ? long.MaxValue : count * v;
            if (count == long.MaxValue) break;
        }
        if (!p.Value.TryGetProperty("data_offsets", out JsonElement off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
            throw Bad(fileName, 8, $"{where} has no two-element 'data_offsets'");
        if (!TryInt(off[0], out long begin) || !TryInt(off[1], out long end) || begin < 0 || end < begin)
            throw Bad(fileName, 8, $"{where} data_offsets are not integers 0 <= begin <= end");
        if (end > dataLength)
            throw Bad(fileName, dataStart + begin, $"{where} data [{begin}, {end}) runs past the {dataLength}-byte data buffer");
        int size = dtype.Size();
        if (count == long.MaxValue || count > (end - begin) / size || count * size != end - begin)
            throw Bad(fileName, dataStart + begin, $"{where} {dtype}[{string.Join(", ", shape)}] does not fill its {end - begin} data bytes");
        foreach (JsonProperty extra in p.Value.EnumerateObject())
        {
            if (extra.Name is not ("dtype" or "shape" or "data_offsets"))
                throw Bad(fileName, 8, $"{where} has unknown field '{extra.Name}'");
        }
        return new SafetensorsTensorInfo(p.Name, dtype, shape, dataStart + begin, end - begin);
    }

    /// <summary>
    /// The reference implementation's rule (<c>Metadata::validate</c>): sorted by offset, the ranges tile the buffer
    /// exactly, with no overlap, no hole and nothing after the last tensor.
    /// </summary>
    private static void CheckRanges(List<SafetensorsTensorInfo> tensors, long dataStart, long dataLength, string fileName)
    {
        var sorted = tensors.OrderBy(t => t.Offset).ThenBy(t => t.Length).ToList();
        long expect = dataStart;
        foreach (SafetensorsTensorInfo t in sorted)
        {
            if (t.Offset < expect)
                throw Bad(fileName, t.Offset, $"tensor '{t.Name}' overlaps the previous tensor (starts at data offset {t.Offset - dataStart}, previous ends at {expect - dataStart})");
            if (t.Offset > expect)
                throw Bad(fileName, expect, $"hole of {t.Offset - expect} bytes before tensor '{t.Name}'");
            expect = t.Offset + t.Length;
        }
        if (expect != dataStart + dataLength)
            throw Bad(fileName, expect, $"{dataStart + dataLength - expect} bytes after the last tensor are not described by the header");
    }

    private static bool TryInt(JsonElement e, out long v)
    {
        v = 0;
        return e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out v);
    }

    internal static InvalidDataException Bad(string fileName, long offset, string what) =>
        new($"{fileName}: offset {offset}: {what}");

    /// <summary>Serializes a header (the inverse of <see cref="Parse"/>), padded with spaces to a multiple of 8 bytes.</summary>
    internal static byte[] Serialize(IEnumerable<(string Name, SafetensorsDType DType, long[] Shape, long Begin, long End)> tensors,
        IReadOnlyDictionary<string, string>? metadata)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            foreach (var t in tensors)
            {
                w.WriteStartObject(t.Name);
                w.WriteString("dtype", t.DType.ToString());
                w.WriteStartArray("shape");
                foreach (long d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(t.Begin);
                w.WriteNumberValue(t.End);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        int n = (int)ms.Length;
        int padded = (n + 7) / 8 * 8;
        var bytes = new byte[8 + padded];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)padded);
        ms.ToArray().CopyTo(bytes, 8);
        bytes.AsSpan(8 + n).Fill((byte)' ');
        return bytes;
    }

}
