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
        // attention rmsnorm
        ctx.Norm(ctx.X, w.AttnNorm, ctx.Xb, "attn_norm");

        // qkv matmuls, rotate q and k, append k and v to the cache
        ctx.Linear(w.Wq, ctx.Xb, ctx.Q, "attn_q");
        ctx.Linear(w.Wk, ctx.Xb, ctx.K, "attn_k");
        ctx.Linear(w.Wv, ctx.Xb, ctx.V, "attn_v");
        ctx.RotateAndCache();

        // causal GQA attention, o_proj, residual
        ctx.Attend();
        ctx.Linear(w.Wo, ctx.Att, ctx.Xb, "attn_output");
        ctx.Residual(ctx.Xb, "attn_residual");

        // ffn rmsnorm, SwiGLU, down_proj, residual
        ctx.Norm(ctx.X, w.FfnNorm, ctx.Xb, "ffn_norm");
        ctx.Linear(w.WGate, ctx.Xb, ctx.Hb, "ffn_gate");
        ctx.Linear(w.WUp, ctx.Xb, ctx.Hb2, "ffn_up");
        ctx.GateActivation(ctx.Config.Activation);
        ctx.Linear(w.WDown, ctx.Hb, ctx.Xb, "ffn_down");
        ctx.Residual(ctx.Xb, "ffn_residual");
    }
}
