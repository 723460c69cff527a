namespace BitRom.Numerics.Quant;

/// <summary>
/// Tensor storage types of GGUF files, numbered as ggml's <c>enum ggml_type</c> (ggml <c>include/ggml.h</c>,
/// FORMATS.md §3.1). Removed ids keep their number with an <see cref="ObsoleteAttribute"/> tombstone, so a file's
/// id never shifts meaning (STYLE.md §2.3.7).
/// </summary>
/// <remarks>
/// <see cref="I2_S"/> is the one member that is not a file id: bitnet.cpp's fork writes I2_S tensors with id 36,
/// which upstream ggml used for the removed IQ4_NL_4_4. The GGUF reader maps 36 to <see cref="I2_S"/> only when the
/// file declares itself a bitnet.cpp file (architecture <c>bitnet-b1.58</c>/<c>bitnet-25</c> or
/// <c>general.file_type</c> = 40, LLAMA_FTYPE_MOSTLY_I2_S of the fork; FORMATS.md §4.1) and the writer writes
/// 36 for it (<see cref="QuantTypeTraits.FileId"/>).
/// </remarks>
public enum QuantType
{
    /// <summary>IEEE float32.</summary>
    F32 = 0,
    /// <summary>IEEE binary16.</summary>
    F16 = 1,
    /// <summary>4-bit, 32 per block, fp16 scale.</summary>
    Q4_0 = 2,
    /// <summary>4-bit, 32 per block, fp16 scale and min.</summary>
    Q4_1 = 3,
    /// <summary>Removed from ggml.</summary>
    [Obsolete("removed from ggml; id kept")] Q4_2 = 4,
    /// <summary>Removed from ggml.</summary>
    [Obsolete("removed from ggml; id kept")] Q4_3 = 5,
    /// <summary>5-bit, 32 per block.</summary>
    Q5_0 = 6,
    /// <summary>5-bit with min, 32 per block.</summary>
    Q5_1 = 7,
    /// <summary>8-bit, 32 per block, fp16 scale first (embeddings).</summary>
    Q8_0 = 8,
    /// <summary>8-bit with sum, 32 per block (activation type).</summary>
    Q8_1 = 9,
    /// <summary>K-quant 2-bit.</summary>
    Q2_K = 10,
    /// <summary>K-quant 3-bit.</summary>
    Q3_K = 11,
    /// <summary>K-quant 4-bit.</summary>
    Q4_K = 12,
    /// <summary>K-quant 5-bit.</summary>
    Q5_K = 13,
    /// <summary>K-quant 6-bit (bitnet.cpp's <c>--quant-embd</c> embeddings).</summary>
    Q6_K = 14,
    /// <summary>K-quant 8-bit (activation type of TQ dot products).</summary>
    Q8_K = 15,
    /// <summary>i-quant.</summary>
    IQ2_XXS = 16,
    /// <summary>i-quant.</summary>
    IQ2_XS = 17,
    /// <summary>i-quant.</summary>
    IQ3_XXS = 18,
    /// <summary>i-quant.</summary>
    IQ1_S = 19,
    /// <summary>i-quant.</summary>
    IQ4_NL = 20,
    /// <summary>i-quant.</summary>
    IQ3_S = 21,
    /// <summary>i-quant.</summary>
    IQ2_S = 22,
    /// <summary>i-quant.</summary>
    IQ4_XS = 23,
    /// <summary>int8.</summary>
    I8 = 24,
    /// <summary>int16.</summary>
    I16 = 25,
    /// <summary>int32.</summary>
    I32 = 26,
    /// <summary>int64.</summary>
    I64 = 27,
    /// <summary>float64.</summary>
    F64 = 28,
    /// <summary>i-quant.</summary>
    IQ1_M = 29,
    /// <summary>bfloat16.</summary>
    BF16 = 30,
    /// <summary>Removed from ggml.</summary>
    [Obsolete("removed from ggml; id kept")] Q4_0_4_4 = 31,
    /// <summary>Removed from ggml.</summary>
    [Obsolete("removed from ggml; id kept")] Q4_0_4_8 = 32,
    /// <summary>Removed from ggml.</summary>
    [Obsolete("removed from ggml; id kept")] Q4_0_8_8 = 33,
    /// <summary>Ternary, 256 per block, base-3 packed, fp16 d last (1.6875 bpw, FORMATS.md §3.3).</summary>
    TQ1_0 = 34,
    /// <summary>Ternary, 256 per block, 2-bit codes, fp16 d last (2.0625 bpw, FORMATS.md §3.2).</summary>
    TQ2_0 = 35,
    /// <summary>Removed from ggml (id reused by bitnet.cpp for I2_S, see <see cref="I2_S"/>).</summary>
    [Obsolete("removed from ggml; id kept")] IQ4_NL_4_4 = 36,
    /// <summary>Removed from ggml.</summary>
    [Obsolete("removed from ggml; id kept")] IQ4_NL_4_8 = 37,
    /// <summary>Removed from ggml.</summary>
    [Obsolete("removed from ggml; id kept")] IQ4_NL_8_8 = 38,
    /// <summary>Microscaling fp4, 32 per block.</summary>
    MXFP4 = 39,

    /// <summary>
    /// bitnet.cpp I2_S: 2-bit codes in 128-weight interleaved blocks over the whole tensor, one trailing f32 scale
    /// (FORMATS.md §4.2). Not a file id: written as 36 in bitnet.cpp files (see the enum remarks).
    /// </summary>
    I2_S = 1036,
}
