using BitRom.Model.Architectures;
using BitRom.Numerics.Floats;
using BitRom.Numerics.Quant;
using BitRom.Numerics.Ternary;

namespace BitRom.Model.Formats.Gguf;

/// <summary>
/// Writes a model as a GGUF file llama.cpp can load (FORMATS.md §3.4–3.5):
/// <list type="bullet">
/// <item>Sub-norm families → arch <c>bitnet</c>: TQ2_0/TQ1_0 blocks with d = 1 (exact in fp16) and the exact
/// per-tensor scale as an F32 [1] <c>blk.N.name.scale</c> tensor, which llama.cpp's bitnet graph multiplies onto the
/// matmul output; <c>bitnet.hidden_activation</c> names the gate activation. Lossless.</item>
/// <item>Falcon3 family → arch <c>llama</c>: no scale hook, so wEff is folded into every block's fp16 d. fp16 has an
/// 11-bit significand: the stored scale is within a relative 2^−11 ≈ 4.9e−4 of wEff (round to nearest), and that is
/// the only loss; the trits are exact. q/k rows are permuted for llama.cpp's interleaved RoPE as convert_hf_to_gguf
/// <c>LlamaModel.permute</c> does (unless the config already uses interleaved rows).</item>
/// <item><see cref="QuantType.I2_S"/> writes a bitnet.cpp file (arch <c>bitnet-25</c> for ReLU², <c>bitnet-b1.58</c>
/// for SiLU sub-norm models, <c>llama</c> for Falcon3; <c>general.file_type</c> 40; the f32 scale inside each tensor).
/// Upstream llama.cpp cannot load these. bitnet.cpp's <c>build_bitnet_158</c> always applies ReLU².</item>
/// <item>F32/F16/BF16: bitnet arch writes trits as ±1 with the F32 <c>.scale</c>; llama arch writes trit · wEff.</item>
/// </list>
/// Embeddings and heads keep their storage type (F32, F16, BF16, Q8_0 have identical byte layouts in both worlds).
/// </summary>
/// <remarks>
/// Measured with llama.cpp 815a2a59 (LLamaSharp 0.30.0; <c>LlamaCppCrossCheckTests</c>): it reads these files and
/// matches our float-activation reference to ~1e-5 relative, but it ignores <c>bitnet.hidden_activation = relu2</c> and
/// runs SiLU, so a ReLU² model (2B4T) exported to arch <c>bitnet</c> gives wrong logits in that llama.cpp; ours are right.
/// </remarks>
public static class GgufModelWriter
{
    /// <summary>Writes <paramref name="weights"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, ModelConfig config, ModelWeights weights, GgufTokenizerData? vocab, QuantType ternaryType = QuantType.TQ2_0) =>
        Build(config, weights, vocab, ternaryType).Write(path);

    /// <summary>The writer holding every key and tensor of the file (tests write it to memory).</summary>
    public static GgufWriter Build(ModelConfig config, ModelWeights weights, GgufTokenizerData? vocab, QuantType ternaryType = QuantType.TQ2_0)
    {
        config.Validate();
        weights.Validate(config);
        if (ternaryType is not (QuantType.TQ2_0 or QuantType.TQ1_0 or QuantType.I2_S or QuantType.F32 or QuantType.F16 or QuantType.BF16))
            throw new ArgumentException($"ternary weights cannot be written as {QuantTypeTraits.Get(ternaryType).Name} (tq2_0, tq1_0, i2_s, f32, f16, bf16)");
        bool bitnet = config.SubNorms;
        if (bitnet && !config.TiedEmbeddings)
            throw new ArgumentException($"{config.Name}: the GGUF bitnet architecture has no output.weight; an untied sub-norm model cannot be exported");
        if (vocab is not null && vocab.Tokens.Length != config.VocabSize)
            throw new ArgumentException($"{config.Name}: vocabulary has {vocab.Tokens.Length} tokens, the model {config.VocabSize}");
        bool i2s = ternaryType == QuantType.I2_S;
        string arch = !bitnet ? GgufNames.Llama
            : !i2s ? GgufNames.BitNet
            : config.Activation == FfnActivation.Relu2 ? GgufNames.BitNet25 : GgufNames.BitNetB158;

        var w = new GgufWriter();
        string k = arch + ".";
        w.Add("general.architecture", arch);
        w.Add("general.name", config.Name);
        w.Add("general.file_type", (uint)GgufNames.FileType(ternaryType));
        if (ternaryType is QuantType.TQ1_0 or QuantType.TQ2_0) w.Add("general.quantization_version", 2u); // GGML_QNT_VERSION
        w.Add(k + "context_length", (uint)config.MaxSeqLen);
        w.Add(k + "embedding_length", (uint)config.Dim);
        w.Add(k + "block_count", (uint)config.Layers);
        w.Add(k + "feed_forward_length", (uint)config.HiddenDim);
        w.Add(k + "attention.head_count", (uint)config.Heads);
        w.Add(k + "attention.head_count_kv", (uint)config.KvHeads);
        w.Add(k + "attention.key_length", (uint)config.HeadDim);
        w.Add(k + "attention.value_length", (uint)config.HeadDim);
        w.Add(k + "rope.dimension_count", (uint)config.HeadDim);
        w.Add(k + "rope.freq_base", (float)config.RopeTheta);
        w.Add(k + "attention.layer_norm_rms_epsilon", config.NormEps);
        w.Add(k + "vocab_size", (uint)config.VocabSize);
        if (bitnet) w.Add(k + GgufNames.HiddenActivationSuffix, config.Activation == FfnActivation.Relu2 ? "relu2" : "silu");
        vocab?.WriteTo(w);

        AddDense(w, "token_embd.weight", weights.Embedding);
        AddVector(w, "output_norm.weight", weights.OutputNorm);
        if (weights.Output is not null) AddDense(w, "output.weight", weights.Output);
        for (int i = 0; i < config.Layers; i++)
        {
            LayerWeights l = weights.Layers[i];
            AddVector(w, $"blk.{i}.attn_norm.weight", l.AttnNorm);
            TernaryMatrix[] m = [.. l.Matrices];
            for (int j = 0; j < m.Length; j++)
            {
                TernaryMatrix t = m[j];
                if (j < 2) t = RopeRows(t, config, bitnet, j == 0 ? config.Heads : config.KvHeads);
                AddTernary(w, i, GgufNames.Linears[j], t, ternaryType, bitnet);
            }
            if (bitnet) AddVector(w, $"blk.{i}.attn_sub_norm.weight", l.AttnSubNorm!);
            AddVector(w, $"blk.{i}.ffn_norm.weight", l.FfnNorm);
            if (bitnet) AddVector(w, $"blk.{i}.ffn_sub_norm.weight", l.FfnSubNorm!);
        }
        return w;
    }

    private static void AddTernary(GgufWriter w, int layer, string name, TernaryMatrix t, QuantType type, bool bitnet)
    {
        // bitnet arch: exact trits (d = 1 or ±1 values) and the exact f32 scale in .scale; I2_S carries its own f32 scale.
        bool scaleTensor = bitnet && type != QuantType.I2_S;
        float blockScale = scaleTensor ? 1f : t.Scale;
        w.AddTensor(GgufNames.Weight(layer, name), type, [t.Cols, t.Rows], TernaryTensorCodec.Encode(t, type, blockScale));
        if (scaleTensor) w.AddTensor(GgufNames.Scale(layer, name), QuantType.F32, [1], BitConverter.GetBytes(t.Scale));
    }

    /// <summary>
    /// Rows of q (or k) in the order the target arch's RoPE expects: llama arch pairs (2i, 2i+1), so HF/NEOX-ordered rows
    /// are permuted (new row h·d + 2i + j = old row h·d + j·d/2 + i); bitnet arch pairs (i, i + d/2), so interleaved rows
    /// are permuted back.
    /// </summary>
    internal static TernaryMatrix RopeRows(TernaryMatrix t, ModelConfig c, bool bitnet, int heads)
    {
        RopeStyle want = bitnet ? RopeStyle.Neox : RopeStyle.Interleaved;
        if (c.Rope == want) return t;
        int hd = c.HeadDim, half = hd / 2, rowBytes = t.RowBytes;
        var packed = new byte[t.Packed.Length];
        ReadOnlySpan<byte> src = t.Packed.Span;
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < half; i++)
                for (int j = 0; j < 2; j++)
                {
                    int interleaved = h * hd + 2 * i + j, neox = h * hd + j * half + i;
                    int from = want == RopeStyle.Interleaved ? neox : interleaved, to = want == RopeStyle.Interleaved ? interleaved : neox;
                    src.Slice(from * rowBytes, rowBytes).CopyTo(packed.AsSpan(to * rowBytes, rowBytes));
                }
        return new TernaryMatrix(t.Name, t.Rows, t.Cols, packed, t.Scale);
    }

    private static void AddDense(GgufWriter w, string name, DenseMatrix m)
    {
        QuantType type = m.Type switch
        {
            DenseElementType.F32 => QuantType.F32,
            DenseElementType.F16 => QuantType.F16,
            DenseElementType.BF16 => QuantType.BF16,
            _ => QuantType.Q8_0,
        };
        w.AddTensor(name, type, [m.Cols, m.Rows], m.Data);
    }

    private static void AddVector(GgufWriter w, string name, float[] v)
    {
        var bytes = new byte[v.Length * 4];
        ScalarCodecs.EncodeF32(v, bytes);
        w.AddTensor(name, QuantType.F32, [v.Length], bytes);
    }
}
