namespace BitRom.Model.Inference;

/// <summary>
/// A correction added to a BitLinear output, e.g. a LoRA adapter (DESIGN.md §5.7): y += f(x).
/// Contract: reads <c>x</c>, adds into <c>y</c>, leaves every other buffer and all weights alone; matrices it does not
/// adapt are left untouched, so the model without an adapter and with an adapter that targets nothing agree bit for bit.
/// </summary>
public interface ILinearAdapter
{
    /// <summary>
    /// y (tokens, N) += adapter(x (tokens, K)) for the BitLinear <paramref name="name"/> (the tap name: attn_q, attn_k,
    /// attn_v, attn_output, ffn_gate, ffn_up, ffn_down) of block <paramref name="layer"/>.
    /// </summary>
    void Apply(int layer, string name, ReadOnlySpan<float> x, int tokens, Span<float> y);
}
