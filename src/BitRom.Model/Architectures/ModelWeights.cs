using BitRom.Numerics.Floats;
using BitRom.Numerics.Ternary;

namespace BitRom.Model.Architectures;

/// <summary>One transformer block's weights (shapes as (out, in) for matrices).</summary>
public sealed class LayerWeights
{
    /// <summary>attn_norm / input_layernorm, (Dim).</summary>
    public required float[] AttnNorm { get; init; }
    /// <summary>q_proj, (QDim, Dim).</summary>
    public required TernaryMatrix Wq { get; init; }
    /// <summary>k_proj, (KvDim, Dim).</summary>
    public required TernaryMatrix Wk { get; init; }
    /// <summary>v_proj, (KvDim, Dim).</summary>
    public required TernaryMatrix Wv { get; init; }
    /// <summary>o_proj, (Dim, QDim).</summary>
    public required TernaryMatrix Wo { get; init; }
    /// <summary>attn_sub_norm before o_proj, (QDim); null without sub-norms.</summary>
    public float[]? AttnSubNorm { get; init; }
    /// <summary>ffn_norm / post_attention_layernorm, (Dim).</summary>
    public required float[] FfnNorm { get; init; }
    /// <summary>gate_proj, (HiddenDim, Dim).</summary>
    public required TernaryMatrix WGate { get; init; }
    /// <summary>up_proj, (HiddenDim, Dim).</summary>
    public required TernaryMatrix WUp { get; init; }
    /// <summary>down_proj, (Dim, HiddenDim).</summary>
    public required TernaryMatrix WDown { get; init; }
    /// <summary>ffn_sub_norm before down_proj, (HiddenDim); null without sub-norms.</summary>
    public float[]? FfnSubNorm { get; init; }

    /// <summary>The seven ternary matrices in execution order.</summary>
    public IEnumerable<TernaryMatrix> Matrices => [Wq, Wk, Wv, Wo, WGate, WUp, WDown];
}

/// <summary>All weights of a model; immutable, possibly memory-mapped (llama2.c <c>TransformerWeights</c>).</summary>
public sealed class ModelWeights
{
    /// <summary>token_embd, (VocabSize, Dim).</summary>
    public required DenseMatrix Embedding { get; init; }
    /// <summary>Blocks, (Layers).</summary>
    public required LayerWeights[] Layers { get; init; }
    /// <summary>output_norm / model.norm, (Dim).</summary>
    public required float[] OutputNorm { get; init; }
    /// <summary>Untied lm_head, (VocabSize, Dim); null when tied to <see cref="Embedding"/>.</summary>
    public DenseMatrix? Output { get; init; }

    /// <summary>The matrix the logits come from.</summary>
    public DenseMatrix Head => Output ?? Embedding;

    /// <summary>Every ternary matrix, layer by layer.</summary>
    public IEnumerable<TernaryMatrix> TernaryMatrices => Layers.SelectMany(l => l.Matrices);

    /// <summary>Checks every tensor shape against <paramref name="c"/>; throws naming the tensor.</summary>
    public void Validate(ModelConfig c)
    {
        static void Shape(string what, int rows, int cols, int wantRows, int wantCols)
        {
            if (rows != wantRows || cols != wantCols)
                throw new InvalidDataException($"{what} has shape [{rows}, {cols}], expected [{wantRows}, {wantCols}]");
        }
        static void Vec(string what, float[]? v, int want)
        {
            if (v is null || v.Length != want) throw new InvalidDataException($"{what} has {v?.Length ?? 0} values, expected {want}");
        }
        Shape("token embedding", Embedding.Rows, Embedding.Cols, c.VocabSize, c.Dim);
        if (Output is not null) Shape("output (lm_head)", Output.Rows, Output.Cols, c.VocabSize, c.Dim);
        if (!c.TiedEmbeddings && Output is null) throw new InvalidDataException("untied model has no output (lm_head) tensor");
        Vec("output_norm", OutputNorm, c.Dim);
        if (Layers.Length != c.Layers) throw new InvalidDataException($"{Layers.Length} layers, config says {c.Layers}");
        for (int i = 0; i < Layers.Length; i++)
        {
            LayerWeights l = Layers[i];
            string p = $"layer {i} ";
            Vec(p + "attn_norm", l.AttnNorm, c.Dim);
            Vec(p + "ffn_norm", l.FfnNorm, c.Dim);
            Shape(p + "q", l.Wq.Rows, l.Wq.Cols, c.QDim, c.Dim);
            Shape(p + "k", l.Wk.Rows, l.Wk.Cols, c.KvDim, c.Dim);
            Shape(p + "v", l.Wv.Rows, l.Wv.Cols, c.KvDim, c.Dim);
            Shape(p + "o", l.Wo.Rows, l.Wo.Cols, c.Dim, c.QDim);
            Shape(p + "gate", l.WGate.Rows, l.WGate.Cols, c.HiddenDim, c.Dim);
            Shape(p + "up", l.WUp.Rows, l.WUp.Cols, c.HiddenDim, c.Dim);
            Shape(p + "down", l.WDown.Rows, l.WDown.Cols, c.Dim, c.HiddenDim);
            if (c.SubNorms)
            {
                Vec(p + "attn_sub_norm", l.AttnSubNorm, c.QDim);
                Vec(p + "ffn_sub_norm", l.FfnSubNorm, c.HiddenDim);
            }
        }
    }
}
