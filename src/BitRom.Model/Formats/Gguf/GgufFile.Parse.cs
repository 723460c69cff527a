using BitRom.Model.Formats.Safetensors;
using BitRom.Numerics.Quant;

namespace BitRom.Model.Formats.Gguf;

public sealed partial class GgufFile
{
    /// <summary>magic + version + tensor count + metadata count.</summary>
    private const int HeaderBytes = 24;

    /// <summary>Smallest metadata pair: key length (8) + value type (4) + a one-byte value.</summary>
    private const int MinKvBytes = 13;

    /// <summary>Smallest tensor info: name length (8) + n_dims (4) + type (4) + offset (8).</summary>
    private const int MinTensorInfoBytes = 24;

    private static GgufFile Parse(MappedFile map, string path)
    {
        long fileLength = map.Length;
        ReadOnlySpan<byte> head = map.Head;
        var p = new GgufParser(head, path);
        if (head.Length < HeaderBytes) throw p.Error(0, $"file of {head.Length} bytes is shorter than a GGUF header ({HeaderBytes} bytes)");
        uint magic = p.U32("magic");
        if (magic != Magic) throw p.Error(0, $"not a GGUF file (magic 0x{magic:X8}, expected 'GGUF')");
        uint version = p.U32("version");
        if (version is not (2 or 3)) throw p.Error(4, $"GGUF version {version} is not supported (2 or 3)");
        int tensorCount = p.Count("tensor count", MinTensorInfoBytes);
        int kvCount = p.Count("metadata count", MinKvBytes);

        var metadata = new Dictionary<string, object>(kvCount, StringComparer.Ordinal);
        for (int i = 0; i < kvCount; i++)
        {
            long at = p.Position;
            string key = p.String($"metadata key {i}", ushort.MaxValue);
            GgufValueType t = p.ValueType($"type of '{key}'");
            object value = p.Value(t, $"value of '{key}'");
            if (!metadata.TryAdd(key, value)) throw p.Error(at, $"duplicate metadata key '{key}'");
        }

        int alignment = DefaultAlignment;
        if (metadata.TryGetValue("general.alignment", out object? al))
        {
            if (al is not uint a || a == 0 || (a & (a - 1)) != 0 || a > 1 << 30)
                throw p.Error(HeaderBytes, $"general.alignment = {al} ({al.GetType().Name}) must be a u32 power of two");
            alignment = (int)a;
        }
        bool bitnetCpp = IsBitNetCppFile(metadata);

        var tensors = new List<GgufTensorInfo>(tensorCount);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < tensorCount; i++)
        {
            long at = p.Position;
            string name = p.String($"tensor {i} name", MaxTensorNameBytes);
            if (!names.Add(name)) throw p.Error(at, $"duplicate tensor name '{name}'");
            long dimsAt = p.Position;
            uint nDims = p.U32($"tensor '{name}' n_dims");
            if (nDims > MaxDims) throw p.Error(dimsAt, $"tensor '{name}' has {nDims} dimensions, at most {MaxDims} allowed");
            var shape = new long[nDims];
            long elements = 1;
            for (int d = 0; d < nDims; d++)
            {
                long neAt = p.Position;
                ulong ne = p.U64($"tensor '{name}' ne[{d}]");
                if (ne > long.MaxValue) throw p.Error(neAt, $"tensor '{name}' ne[{d}] = {ne} is negative as int64");
                shape[d] = (long)ne;
                if (ne != 0 && elements > long.MaxValue / (long)ne) throw p.Error(neAt, $"tensor '{name}' shape overflows int64 elements");
                elements *= (long)ne;
            }
            long typeAt = p.Position;
            uint typeId = p.U32($"tensor '{name}' type");
            QuantType type = typeId == 36 && bitnetCpp ? QuantType.I2_S : (QuantType)typeId;
            if (typeId == 36 && !bitnetCpp)
                throw p.Error(typeAt, $"tensor '{name}' has type id 36: removed upstream (IQ4_NL_4_4), and bitnet.cpp's I2_S is only recognised in files with architecture {string.Join("/", BitNetCppArchitectures)} or general.file_type {BitNetCppI2SFileType}");
            if (typeId > int.MaxValue || (type == QuantType.I2_S && typeId != 36) || !QuantTypeTraits.IsKnown(type)) throw p.Error(typeAt, $"tensor '{name}' has unknown or removed ggml type id {typeId}");
            long offAt = p.Position;
            ulong offset = p.U64($"tensor '{name}' offset");
            if (offset % (ulong)alignment != 0) throw p.Error(offAt, $"tensor '{name}' offset {offset} is not a multiple of the alignment {alignment}");
            if (offset > (ulong)fileLength) throw p.Error(offAt, $"tensor '{name}' offset {offset} lies beyond the file ({fileLength} bytes)");
            long rowLength = nDims == 0 ? 1 : shape[0];
            long size = QuantTypeTraits.TensorBytes(type, elements, rowLength);
            if (size < 0) throw p.Error(typeAt, $"tensor '{name}': rows of {rowLength} values are not whole {QuantTypeTraits.Get(type).Name} blocks of {QuantTypeTraits.Get(type).BlockSize}, or the byte size overflows");
            tensors.Add(new GgufTensorInfo(name, shape, type, (long)offset, size));
        }

        long dataOffset = (p.Position + alignment - 1) / alignment * alignment;
        if (tensorCount > 0 && dataOffset > fileLength)
            throw p.Error(p.Position, $"tensor data section at {dataOffset} starts beyond the end of the file ({fileLength} bytes)");
        long prevEnd = 0;
        string prevName = "";
        foreach (GgufTensorInfo t in tensors.OrderBy(t => t.Offset))
        {
            if (t.ByteSize > fileLength - dataOffset - t.Offset)
                throw p.Error(dataOffset + t.Offset, $"tensor '{t.Name}' ({t.ByteSize} bytes at data offset {t.Offset}) extends beyond the end of the file ({fileLength} bytes)");
            if (t.Offset < prevEnd)
                throw p.Error(dataOffset + t.Offset, $"tensor '{t.Name}' at data offset {t.Offset} overlaps tensor '{prevName}' ending at {prevEnd}");
            prevEnd = t.Offset + t.ByteSize;
            prevName = t.Name;
        }
        return new GgufFile(path, fileLength, map, version, metadata, tensors, alignment, dataOffset, bitnetCpp);
    }

    /// <summary>bitnet.cpp's fork wrote this file (its architecture names or its I2_S file type), so id 36 is I2_S.</summary>
    private static bool IsBitNetCppFile(IReadOnlyDictionary<string, object> metadata) =>
        (metadata.TryGetValue("general.architecture", out object? arch) && arch is string s && BitNetCppArchitectures.Contains(s))
        || (metadata.TryGetValue("general.file_type", out object? ft) && GgufMetadata.AsInt64(ft) == BitNetCppI2SFileType);
}
