using BitRom.Model.Inference;

namespace BitRom.Model.Architectures;

/// <summary>
/// The sub-norm BitNet block: microsoft/bitnet-b1.58-2B-4T (ReLU²) and, with SiLU, 1bitLLM bitnet_b1_58
/// (transformers <c>modular_bitnet.py</c>; llama.cpp <c>src/models/bitnet.cpp</c>; FORMATS.md §2.1, §3.4).
/// RoPE: HF rotate-half, which is GGUF NEOX (llama.cpp's bitnet arch), so q/k are never permuted.
/// </summary>
public sealed class BitNetB158 : IBlock
{
    /// <summary>Shared instance (stateless).</summary>
    public static readonly BitNetB158 Instance = new();

    /// <inheritdoc />
    public void Forward(ForwardContext ctx, LayerWeights w)
    {
        // attn_norm, q/k/v, RoPE, KV-cache append, causal GQA attention
        ctx.SelfAttention(w);

        // attn_sub_norm, then o_proj, then the residual
        ctx.Norm(ctx.Att, w.AttnSubNorm!, ctx.Att, "attn_sub_norm");
        ctx.Linear(w.Wo, ctx.Att, ctx.Xb, "attn_output");
        ctx.Residual(ctx.Xb, "attn_residual");

        // ffn_norm, gate and up, act(gate) * up (ReLU² for 2B4T, SiLU for 1bitLLM)
        ctx.GatedFfn(w);

        // ffn_sub_norm, then down_proj, then the residual
        ctx.Norm(ctx.Hb, w.FfnSubNorm!, ctx.Hb, "ffn_sub_norm");
        ctx.Linear(w.WDown, ctx.Hb, ctx.Xb, "ffn_down");
        ctx.Residual(ctx.Xb, "ffn_residual");
    }
}
