namespace BitRom.Model.Formats.Gguf;

/// <summary>
/// Architecture names, metadata keys and tensor names shared by the GGUF model reader and writer
/// (llama.cpp <c>src/llama-arch.cpp</c> LLM_KV_*/LLM_TENSOR_*, gguf-py <c>constants.py</c>; FORMATS.md §3.1, §3.4, §4.1).
/// </summary>
public static class GgufNames
{
    /// <summary>Upstream Llama architecture: Falcon3-1.58bit is exported as this (ternary-valued weights, interleaved RoPE).</summary>
    public const string Llama = "llama";
    /// <summary>Upstream BitNet architecture (sub-norms, optional .scale tensors, tied head, NEOX RoPE).</summary>
    public const string BitNet = "bitnet";
    /// <summary>bitnet.cpp's 1bitLLM/BitNet arch (<c>LLM_ARCH_BITNET_B158</c>, graph <c>build_bitnet_158</c>, ReLU²).</summary>
    public const string BitNetB158 = "bitnet-b1.58";
    /// <summary>bitnet.cpp's 2B4T arch (<c>LLM_ARCH_BITNET_25</c>, same graph).</summary>
    public const string BitNet25 = "bitnet-25";

    /// <summary><c>llama_ftype</c> values written to <c>general.file_type</c> (llama.cpp <c>include/llama.h</c>; I2_S from bitnet.cpp's fork).</summary>
    public static int FileType(Numerics.Quant.QuantType ternaryType) => ternaryType switch
    {
        Numerics.Quant.QuantType.F32 => 0,   // LLAMA_FTYPE_ALL_F32
        Numerics.Quant.QuantType.F16 => 1,   // LLAMA_FTYPE_MOSTLY_F16
        Numerics.Quant.QuantType.BF16 => 32, // LLAMA_FTYPE_MOSTLY_BF16
        Numerics.Quant.QuantType.TQ1_0 => 36, // LLAMA_FTYPE_MOSTLY_TQ1_0
        Numerics.Quant.QuantType.TQ2_0 => 37, // LLAMA_FTYPE_MOSTLY_TQ2_0
        Numerics.Quant.QuantType.I2_S => GgufFile.BitNetCppI2SFileType,
        _ => throw new ArgumentException($"no llama_ftype for ternary weights stored as {ternaryType}"),
    };

    /// <summary>GGUF names of the seven BitLinear tensors of a block, in the order of <c>LayerWeights.Matrices</c> (execution order).</summary>
    public static readonly string[] Linears = ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"];

    /// <summary><c>blk.{layer}.{name}.weight</c>.</summary>
    public static string Weight(int layer, string name) => $"blk.{layer}.{name}.weight";

    /// <summary><c>blk.{layer}.{name}.scale</c>: F32 [1] multiplied onto the matmul output by llama.cpp's bitnet graph.</summary>
    public static string Scale(int layer, string name) => $"blk.{layer}.{name}.scale";

    /// <summary><c>bitnet.hidden_activation</c>-style key naming the FFN gate activation.</summary>
    public const string HiddenActivationSuffix = "hidden_activation";
}
