namespace BitRom.Numerics.Floats;

/// <summary>Storage types of non-ternary matrices (embeddings, untied lm_head).</summary>
public enum DenseElementType
{
    /// <summary>IEEE float32, 4 bytes.</summary>
    F32,
    /// <summary>IEEE binary16, 2 bytes.</summary>
    F16,
    /// <summary>bfloat16, 2 bytes (HF checkpoints' dtype).</summary>
    BF16,
    /// <summary>ggml Q8_0: blocks of 32 int8 with one fp16 scale in front, 34 bytes per 32 values.</summary>
    Q8_0,
}
