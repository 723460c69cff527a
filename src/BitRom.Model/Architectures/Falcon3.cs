using BitRom.Model.Inference;

namespace BitRom.Model.Architectures;

/// <summary>
/// The Llama block with BitLinear projections: tiiuae Falcon3-*-1.58bit and llama-7b-ternary
/// (HF <c>LlamaForCausalLM</c> + BitNet quantization, FORMATS.md §2.2). No sub-norms, SwiGLU, untied head.
/// RoPE: HF rotate-half (NEOX pairing) for HF checkpoints; GGUF llama-arch files use interleaved pairs with
/// permuted q/k rows, selected by <see cref="ModelConfig.Rope"/>.
/// </summary>
public sealed class Falcon3 : IBlock
{
    /// <summary>Shared instance (stateless).</summary>
    public static readonly Falcon3 Instance = new();

    /// <inheritdoc />
    public void Forward(ForwardContext ctx, LayerWeights w)
    {
        // attn_norm, q/k/v, RoPE, KV-cache append, causal GQA attention; o_proj straight after (no sub-norm)
        ctx.SelfAttention(w);
        ctx.Linear(w.Wo, ctx.Att, ctx.Xb, "attn_output");
        ctx.Residual(ctx.Xb, "attn_residual");

        // ffn_norm, SwiGLU, down_proj, residual
        ctx.GatedFfn(w);
        ctx.Linear(w.WDown, ctx.Hb, ctx.Xb, "ffn_down");
        ctx.Residual(ctx.Xb, "ffn_residual");
    }
}
