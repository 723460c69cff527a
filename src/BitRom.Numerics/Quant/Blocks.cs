using System.Runtime.InteropServices;

namespace BitRom.Numerics.Quant;

/// <summary>Byte sizes of the block structs, checked against <c>Unsafe.SizeOf</c> by tests (ggml <c>static_assert</c>s in <c>ggml-common.h</c>).</summary>
public static class BlockSizes
{
    /// <summary>sizeof(block_tq2_0) = 64 + 2.</summary>
    public const int TQ2_0 = 66;
    /// <summary>sizeof(block_tq1_0) = 48 + 4 + 2.</summary>
    public const int TQ1_0 = 54;
    /// <summary>sizeof(block_q8_0) = 2 + 32.</summary>
    public const int Q8_0 = 34;
}

/// <summary>
/// ggml <c>block_tq2_0</c>: 256 trits as 2-bit codes (trit + 1) in two 32-byte halves of four bit-pair planes, fp16 d
/// LAST (2.0625 bpw; FORMATS.md §3.2). Code-per-2-bits keeps decoding a shift and a mask.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public unsafe struct BlockTq2_0
{
    /// <summary>Codes: weight (j/32)·128 + l·32 + m lives in byte j + m, bits 2l..2l+1.</summary>
    public fixed byte Qs[64];
    /// <summary>Block scale, fp16 bits.</summary>
    public ushort D;
}

/// <summary>
/// ggml <c>block_tq1_0</c>: 256 trits, five per byte as a base-3 number mapped onto 0..255 (the "3^n trick": trit n is
/// the top two bits of byte·3^n mod 256, times 3) plus four bytes of four trits, fp16 d LAST (1.6875 bpw; FORMATS.md §3.3).
/// 1.6 bits per trit is within 1 % of log2(3) = 1.585 while decoding needs only an 8-bit multiply.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public unsafe struct BlockTq1_0
{
    /// <summary>Five trits per byte: bytes 0..31 hold weights n·32 + m, bytes 32..47 hold 160 + n·16 + m.</summary>
    public fixed byte Qs[48];
    /// <summary>Four trits per byte: weight 240 + n·4 + j in byte j.</summary>
    public fixed byte Qh[4];
    /// <summary>Block scale, fp16 bits.</summary>
    public ushort D;
}

/// <summary>ggml <c>block_q8_0</c>: fp16 d FIRST, then 32 int8 (8.5 bpw); embeddings of quantized GGUFs.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public unsafe struct BlockQ8_0
{
    /// <summary>Block scale, fp16 bits.</summary>
    public ushort D;
    /// <summary>Values: x = d · q.</summary>
    public fixed sbyte Qs[32];
}
