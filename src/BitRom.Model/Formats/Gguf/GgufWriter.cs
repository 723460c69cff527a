using System.Text;
using BitRom.Numerics.Quant;

namespace BitRom.Model.Formats.Gguf;

/// <summary>
/// Writes a GGUF v3 file: metadata of every value type (CLR primitives, strings, typed arrays, nested arrays as
/// arrays of arrays), tensor infos, and tensor data each at a multiple of the alignment with zero padding
/// (ggml <c>docs/gguf.md</c>; FORMATS.md §3.1). Little-endian.
/// </summary>
public sealed class GgufWriter
{
    private readonly List<KeyValuePair<string, object>> _metadata = [];
    private readonly List<(string Name, QuantType Type, long[] Shape, ReadOnlyMemory<byte> Data)> _tensors = [];
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>A writer aligning tensor data to <paramref name="alignment"/> bytes (a power of two; written as <c>general.alignment</c> unless 32).</summary>
    public GgufWriter(int alignment = GgufFile.DefaultAlignment)
    {
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0) throw new ArgumentException($"alignment {alignment} must be a power of two");
        Alignment = alignment;
        if (alignment != GgufFile.DefaultAlignment) Add("general.alignment", (uint)alignment);
    }

    /// <summary>Tensor data alignment in bytes.</summary>
    public int Alignment { get; }

    /// <summary>Adds a metadata pair; the value's CLR type decides its GGUF type (<see cref="GgufValueTypes.Of"/>).</summary>
    public GgufWriter Add(string key, object value)
    {
        if (!_keys.Add(key)) throw new ArgumentException($"metadata key '{key}' added twice");
        CheckValue(value, key, 0);
        _metadata.Add(new(key, value));
        return this;
    }

    /// <summary>Adds a tensor of ggml shape <paramref name="shape"/> (ne[0] fastest) whose bytes are already in <paramref name="type"/>.</summary>
    public GgufWriter AddTensor(string name, QuantType type, long[] shape, ReadOnlyMemory<byte> data)
    {
        if (Encoding.UTF8.GetByteCount(name) > GgufFile.MaxTensorNameBytes) throw new ArgumentException($"tensor name '{name}' is longer than {GgufFile.MaxTensorNameBytes} bytes");
        if (!_names.Add(name)) throw new ArgumentException($"tensor '{name}' added twice");
        if (shape.Length > GgufFile.MaxDims || shape.Any(d => d < 0)) throw new ArgumentException($"tensor '{name}' shape [{string.Join(", ", shape)}] is not a ggml shape");
        long elements = shape.Aggregate(1L, (a, b) => a * b);
        long need = QuantTypeTraits.TensorBytes(type, elements, shape.Length == 0 ? 1 : shape[0]);
        if (need != data.Length) throw new ArgumentException($"tensor '{name}' [{string.Join(", ", shape)}] {QuantTypeTraits.Get(type).Name} needs {need} bytes, got {data.Length}");
        _tensors.Add((name, type, shape, data));
        return this;
    }

    /// <summary>Writes the file to <paramref name="path"/> (created or truncated).</summary>
    public void Write(string path)
    {
        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        Write(fs);
    }

    /// <summary>Writes the file to <paramref name="stream"/>.</summary>
    public void Write(Stream stream)
    {
        var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(GgufFile.Magic);
        w.Write(3u);
        w.Write((ulong)_tensors.Count);
        w.Write((ulong)_metadata.Count);
        foreach (var (key, value) in _metadata)
        {
            WriteString(w, key);
            GgufValueType t = GgufValueTypes.Of(value);
            w.Write((uint)t);
            WriteValue(w, value, t);
        }
        long offset = 0;
        var offsets = new long[_tensors.Count];
        for (int i = 0; i < _tensors.Count; i++)
        {
            var (name, type, shape, data) = _tensors[i];
            WriteString(w, name);
            w.Write((uint)shape.Length);
            foreach (long d in shape) w.Write((ulong)d);
            w.Write(QuantTypeTraits.FileId(type));
            w.Write((ulong)offset);
            offsets[i] = offset;
            offset = Align(offset + data.Length);
        }
        w.Flush();
        Pad(stream, stream.Position);
        long dataStart = stream.Position;
        for (int i = 0; i < _tensors.Count; i++)
        {
            stream.Write(_tensors[i].Data.Span);
            Pad(stream, stream.Position - dataStart);
        }
        stream.Flush();
    }

    private long Align(long n) => (n + Alignment - 1) / Alignment * Alignment;

    private void Pad(Stream s, long position)
    {
        long pad = Align(position) - position;
        for (long i = 0; i < pad; i++) s.WriteByte(0);
    }

    private static void CheckValue(object value, string key, int depth)
    {
        if (depth > GgufParser.MaxArrayDepth) throw new ArgumentException($"metadata '{key}': arrays nested deeper than {GgufParser.MaxArrayDepth}");
        if (value is not Array a) { GgufValueTypes.Of(value); return; }
        if (GgufValueTypes.ElementOf(a) != GgufValueType.Array) return;
        foreach (object? item in a)
        {
            if (item is not Array) throw new ArgumentException($"metadata '{key}': a nested array holds a {item?.GetType().Name ?? "null"}, not an array");
            CheckValue(item, key, depth + 1);
        }
    }

    private static void WriteString(BinaryWriter w, string s)
    {
        byte[] b = Encoding.UTF8.GetBytes(s);
        w.Write((ulong)b.Length);
        w.Write(b);
    }

    private static void WriteValue(BinaryWriter w, object value, GgufValueType t)
    {
        switch (t)
        {
            case GgufValueType.UInt8: w.Write((byte)value); break;
            case GgufValueType.Int8: w.Write((sbyte)value); break;
            case GgufValueType.UInt16: w.Write((ushort)value); break;
            case GgufValueType.Int16: w.Write((short)value); break;
            case GgufValueType.UInt32: w.Write((uint)value); break;
            case GgufValueType.Int32: w.Write((int)value); break;
            case GgufValueType.Float32: w.Write((float)value); break;
            case GgufValueType.Bool: w.Write((byte)((bool)value ? 1 : 0)); break;
            case GgufValueType.String: WriteString(w, (string)value); break;
            case GgufValueType.UInt64: w.Write((ulong)value); break;
            case GgufValueType.Int64: w.Write((long)value); break;
            case GgufValueType.Float64: w.Write((double)value); break;
            case GgufValueType.Array:
                var a = (Array)value;
                GgufValueType e = GgufValueTypes.ElementOf(a);
                w.Write((uint)e);
                w.Write((ulong)a.Length);
                foreach (object? item in a) WriteValue(w, item!, e == GgufValueType.Array ? GgufValueType.Array : e);
                break;
        }
    }
}
