namespace BitRom.Numerics.Kernels;

/// <summary>How BitLinear treats its input activations.</summary>
public enum BitLinearMode
{
    /// <summary>BitNet b1.58 semantics (DESIGN.md §4): per-token absmax int8, exact int32 accumulation, y = acc · wEff / s. The default.</summary>
    Int8,
    /// <summary>
    /// Float reference: y = FloatOps.Dot(trits, x) · wEff with x unquantized. What llama.cpp computes for F32/F16
    /// weight files (its F32 mat-mul never quantizes activations), so it is the anchor of the exact cross-check.
    /// </summary>
    FloatActivations,
}
