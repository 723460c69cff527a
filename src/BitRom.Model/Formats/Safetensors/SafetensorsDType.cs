namespace BitRom.Model.Formats.Safetensors;

/// <summary>
/// Element types of the safetensors format (huggingface/safetensors <c>safetensors/src/tensor.rs</c> <c>Dtype</c>),
/// with their spelling in the header and their size in bytes.
/// </summary>
public enum SafetensorsDType
{
    /// <summary>bool, 1 byte.</summary>
    BOOL,
    /// <summary>uint8 (packed BitNet weights).</summary>
    U8,
    /// <summary>int8.</summary>
    I8,
    /// <summary>float8 e4m3.</summary>
    F8_E4M3,
    /// <summary>float8 e5m2.</summary>
    F8_E5M2,
    /// <summary>int16.</summary>
    I16,
    /// <summary>uint16.</summary>
    U16,
    /// <summary>IEEE binary16.</summary>
    F16,
    /// <summary>bfloat16.</summary>
    BF16,
    /// <summary>int32.</summary>
    I32,
    /// <summary>uint32.</summary>
    U32,
    /// <summary>IEEE binary32.</summary>
    F32,
    /// <summary>IEEE binary64.</summary>
    F64,
    /// <summary>int64.</summary>
    I64,
    /// <summary>uint64.</summary>
    U64,
}

/// <summary>Sizes and names of <see cref="SafetensorsDType"/>.</summary>
public static class SafetensorsDTypes
{
    /// <summary>Bytes per element.</summary>
    public static int Size(this SafetensorsDType t) => t switch
    {
        SafetensorsDType.BOOL or SafetensorsDType.U8 or SafetensorsDType.I8 or SafetensorsDType.F8_E4M3 or SafetensorsDType.F8_E5M2 => 1,
        SafetensorsDType.I16 or SafetensorsDType.U16 or SafetensorsDType.F16 or SafetensorsDType.BF16 => 2,
        SafetensorsDType.I32 or SafetensorsDType.U32 or SafetensorsDType.F32 => 4,
        SafetensorsDType.F64 or SafetensorsDType.I64 or SafetensorsDType.U64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, null),
    };

    /// <summary>Parses the header spelling (exact, upper case as the format writes it).</summary>
    public static bool TryParse(string s, out SafetensorsDType t)
    {
        foreach (SafetensorsDType v in Enum.GetValues<SafetensorsDType>())
        {
            if (string.Equals(v.ToString(), s, StringComparison.Ordinal)) { t = v; return true; }
        }
        t = default;
        return false;
    }
}
