using System.Buffers.Binary;
using System.Text;

namespace BitRom.Model.Formats.Gguf;

/// <summary>
/// Reads the GGUF header region from a span. Every count, length and offset is checked against the bytes that
/// really remain before anything is allocated; errors name the file, the byte offset and what is wrong.
/// </summary>
internal ref struct GgufParser
{
    /// <summary>Deepest nesting of arrays accepted (real files use 1; the bound keeps recursion shallow).</summary>
    public const int MaxArrayDepth = 8;

    private readonly ReadOnlySpan<byte> _data;
    private readonly string _file;

    public GgufParser(ReadOnlySpan<byte> data, string file)
    {
        _data = data;
        _file = file;
        Position = 0;
    }

    public int Position { get; private set; }

    public readonly long Remaining => _data.Length - Position;

    public readonly InvalidDataException Error(long offset, string what) => new($"{_file}: at byte {offset}: {what}");

    private ReadOnlySpan<byte> Take(int n, string what)
    {
        if (n < 0 || n > Remaining) throw Error(Position, $"{what} needs {n} bytes, only {Remaining} left in the file");
        ReadOnlySpan<byte> s = _data.Slice(Position, n);
        Position += n;
        return s;
    }

    public byte U8(string what) => Take(1, what)[0];
    public ushort U16(string what) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, what));
    public uint U32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, what));
    public ulong U64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, what));

    /// <summary>A count of items each at least <paramref name="minItemBytes"/> long: must fit in what remains.</summary>
    public int Count(string what, int minItemBytes)
    {
        long at = Position;
        ulong n = U64(what);
        if (n > (ulong)(Remaining / Math.Max(1, minItemBytes)))
            throw Error(at, $"{what} = {n} cannot fit in the {Remaining} bytes left in the file");
        return (int)n;
    }

    public string String(string what, int maxBytes = int.MaxValue)
    {
        long at = Position;
        ulong n = U64(what + " length");
        if (n > (ulong)Remaining) throw Error(at, $"{what} length {n} exceeds the {Remaining} bytes left in the file");
        if (n > (ulong)maxBytes) throw Error(at, $"{what} length {n} exceeds the limit of {maxBytes} bytes");
        return Encoding.UTF8.GetString(Take((int)n, what));
    }

    public GgufValueType ValueType(string what)
    {
        long at = Position;
        uint t = U32(what);
        if (!GgufValueTypes.IsDefined(t)) throw Error(at, $"{what} {t} is not a GGUF value type (0..12)");
        return (GgufValueType)t;
    }

    /// <summary>One value of type <paramref name="t"/> (arrays become typed CLR arrays; nested arrays object[]).</summary>
    public object Value(GgufValueType t, string what, int depth = 0) => t switch
    {
        GgufValueType.UInt8 => U8(what),
        GgufValueType.Int8 => (sbyte)U8(what),
        GgufValueType.UInt16 => U16(what),
        GgufValueType.Int16 => (short)U16(what),
        GgufValueType.UInt32 => U32(what),
        GgufValueType.Int32 => (int)U32(what),
        GgufValueType.Float32 => BitConverter.UInt32BitsToSingle(U32(what)),
        GgufValueType.Bool => U8(what) != 0,
        GgufValueType.String => String(what),
        GgufValueType.UInt64 => U64(what),
        GgufValueType.Int64 => (long)U64(what),
        GgufValueType.Float64 => BitConverter.UInt64BitsToDouble(U64(what)),
        GgufValueType.Array => Array(what, depth + 1),
        _ => throw Error(Position, $"{what}: value type {t} is not readable"),
    };

    private Array Array(string what, int depth)
    {
        if (depth > MaxArrayDepth) throw Error(Position, $"{what}: arrays nested deeper than {MaxArrayDepth}");
        GgufValueType e = ValueType(what + " element type");
        int n = Count(what + " count", GgufValueTypes.MinSize(e));
        switch (e)
        {
            case GgufValueType.UInt8: return Take(n, what).ToArray();
            case GgufValueType.Int8: return Fill(new sbyte[n], what, e, depth);
            case GgufValueType.UInt16: return Fill(new ushort[n], what, e, depth);
            case GgufValueType.Int16: return Fill(new short[n], what, e, depth);
            case GgufValueType.UInt32: return Fill(new uint[n], what, e, depth);
            case GgufValueType.Int32: return Fill(new int[n], what, e, depth);
            case GgufValueType.Float32: return Fill(new float[n], what, e, depth);
            case GgufValueType.Bool: return Fill(new bool[n], what, e, depth);
            case GgufValueType.String: return Fill(new string[n], what, e, depth);
            case GgufValueType.UInt64: return Fill(new ulong[n], what, e, depth);
            case GgufValueType.Int64: return Fill(new long[n], what, e, depth);
            case GgufValueType.Float64: return Fill(new double[n], what, e, depth);
            default: return Fill(new object[n], what, e, depth);
        }
    }

    private T[] Fill<T>(T[] items, string what, GgufValueType e, int depth)
    {
        for (int i = 0; i < items.Length; i++) items[i] = (T)Value(e, what, depth);
        return items;
    }
}
