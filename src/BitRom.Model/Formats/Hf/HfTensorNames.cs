using BitRom.Model.Architectures;

namespace BitRom.Model.Formats.Hf;

/// <summary>
/// Safetensors tensor names of the three published HF layouts (FORMATS.md §2): Llama module names
/// (<c>model.layers.{i}.self_attn.q_proj.weight</c> …) plus each family's sub-norm spelling.
/// </summary>
public static class HfTensorNames
{
    /// <summary>Token embedding table, (vocab, hidden).</summary>
    public const string Embedding = "model.embed_tokens.weight";
    /// <summary>Final RMSNorm.</summary>
    public const string OutputNorm = "model.norm.weight";
    /// <summary>Untied head, (vocab, hidden).</summary>
    public const string LmHead = "lm_head.weight";

    /// <summary>Module path of the seven BitLinear projections, in <see cref="LayerWeights.Matrices"/> order.</summary>
    public static readonly string[] Projections =
        ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"];

    /// <summary>Prefix of layer <paramref name="i"/>.</summary>
    public static string Layer(int i) => $"model.layers.{i}.";

    /// <summary>input_layernorm (attn_norm).</summary>
    public static string AttnNorm(int i) => Layer(i) + "input_layernorm.weight";

    /// <summary>post_attention_layernorm (ffn_norm).</summary>
    public static string FfnNorm(int i) => Layer(i) + "post_attention_layernorm.weight";

    /// <summary>
    /// Sub-norm before o_proj: 2B4T <c>self_attn.attn_sub_norm</c> (transformers <c>modeling_bitnet.py</c>),
    /// 1bitLLM <c>self_attn.inner_attn_ln</c> (its custom modeling code; llama.cpp <c>tensor_mapping.py</c> ATTN_SUB_NORM).
    /// </summary>
    public static string AttnSubNorm(ModelFamily f, int i) =>
        Layer(i) + (f == ModelFamily.OneBitLlm ? "self_attn.inner_attn_ln.weight" : "self_attn.attn_sub_norm.weight");

    /// <summary>Sub-norm before down_proj: 2B4T <c>mlp.ffn_sub_norm</c>, 1bitLLM <c>mlp.ffn_layernorm</c>.</summary>
    public static string FfnSubNorm(ModelFamily f, int i) =>
        Layer(i) + (f == ModelFamily.OneBitLlm ? "mlp.ffn_layernorm.weight" : "mlp.ffn_sub_norm.weight");

    /// <summary>(rows, cols) of projection <paramref name="p"/> (index into <see cref="Projections"/>).</summary>
    public static (int Rows, int Cols) Shape(ModelConfig c, int p) => p switch
    {
        0 => (c.QDim, c.Dim),
        1 or 2 => (c.KvDim, c.Dim),
        3 => (c.Dim, c.QDim),
        4 or 5 => (c.HiddenDim, c.Dim),
        6 => (c.Dim, c.HiddenDim),
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    /// <summary>GGUF-style name used for <see cref="BitRom.Numerics.Ternary.TernaryMatrix.Name"/> (blk.N.attn_q …).</summary>
    public static string EngineName(int layer, int p) =>
        $"blk.{layer}." + new[] { "attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down" }[p];
}
