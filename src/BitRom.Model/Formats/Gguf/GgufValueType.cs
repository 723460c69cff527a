namespace BitRom.Model.Formats.Gguf;

/// <summary>Metadata value types of GGUF (ggml <c>docs/gguf.md</c>, <c>enum gguf_type</c>; FORMATS.md §3.1).</summary>
public enum GgufValueType : uint
{
    /// <summary>byte.</summary>
    UInt8 = 0,
    /// <summary>sbyte.</summary>
    Int8 = 1,
    /// <summary>ushort.</summary>
    UInt16 = 2,
    /// <summary>short.</summary>
    Int16 = 3,
    /// <summary>uint.</summary>
    UInt32 = 4,
    /// <summary>int.</summary>
    Int32 = 5,
    /// <summary>float.</summary>
    Float32 = 6,
    /// <summary>bool, one byte.</summary>
    Bool = 7,
    /// <summary>u64 length + UTF-8 bytes, no NUL.</summary>
    String = 8,
    /// <summary>u32 element type + u64 count + elements; nestable.</summary>
    Array = 9,
    /// <summary>ulong.</summary>
    UInt64 = 10,
    /// <summary>long.</summary>
    Int64 = 11,
    /// <summary>double.</summary>
    Float64 = 12,
}

/// <summary>Sizes and CLR mapping of <see cref="GgufValueType"/>.</summary>
public static class GgufValueTypes
{
    /// <summary>
    /// Smallest encoding of one value of <paramref name="t"/> in bytes (strings: the 8-byte length; arrays: type + count).
    /// The reader multiplies a count by it and compares with the bytes left before allocating anything.
    /// </summary>
    public static int MinSize(GgufValueType t) => t switch
    {
        GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
        GgufValueType.UInt16 or GgufValueType.Int16 => 2,
        GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
        GgufValueType.UInt64 or GgufValueType.Int64 or GgufValueType.Float64 or GgufValueType.String => 8,
        GgufValueType.Array => 12,
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, "not a GGUF value type"),
    };

    /// <summary>True for the 13 defined ids.</summary>
    public static bool IsDefined(uint id) => id <= (uint)GgufValueType.Float64;

    /// <summary>The GGUF type a CLR value is written as (arrays: <see cref="GgufValueType.Array"/>).</summary>
    public static GgufValueType Of(object value) => value switch
    {
        byte => GgufValueType.UInt8,
        sbyte => GgufValueType.Int8,
        ushort => GgufValueType.UInt16,
        short => GgufValueType.Int16,
        uint => GgufValueType.UInt32,
        int => GgufValueType.Int32,
        float => GgufValueType.Float32,
        bool => GgufValueType.Bool,
        string => GgufValueType.String,
        Array => GgufValueType.Array,
        ulong => GgufValueType.UInt64,
        long => GgufValueType.Int64,
        double => GgufValueType.Float64,
        _ => throw new ArgumentException($"a {value.GetType().Name} cannot be stored in GGUF metadata"),
    };

    /// <summary>The element type of a CLR array (object[] and arrays of arrays: nested <see cref="GgufValueType.Array"/>).</summary>
    public static GgufValueType ElementOf(Array array)
    {
        Type e = array.GetType().GetElementType()!;
        if (e == typeof(byte)) return GgufValueType.UInt8;
        if (e == typeof(sbyte)) return GgufValueType.Int8;
        if (e == typeof(ushort)) return GgufValueType.UInt16;
        if (e == typeof(short)) return GgufValueType.Int16;
        if (e == typeof(uint)) return GgufValueType.UInt32;
        if (e == typeof(int)) return GgufValueType.Int32;
        if (e == typeof(float)) return GgufValueType.Float32;
        if (e == typeof(bool)) return GgufValueType.Bool;
        if (e == typeof(string)) return GgufValueType.String;
        if (e == typeof(ulong)) return GgufValueType.UInt64;
        if (e == typeof(long)) return GgufValueType.Int64;
        if (e == typeof(double)) return GgufValueType.Float64;
        if (e == typeof(object) || e.IsArray) return GgufValueType.Array;
        throw new ArgumentException($"arrays of {e.Name} cannot be stored in GGUF metadata");
    }
}
