using BitRom.Model.Architectures;
using BitRom.Model.Tokenizers;
using BitRom.Numerics.Floats;

namespace BitRom.Model.Formats.Gguf;

/// <summary>
/// Maps a GGUF file onto <see cref="ModelConfig"/> and <see cref="ModelWeights"/> (FORMATS.md §3.4, §4.1):
/// <list type="bullet">
/// <item><c>llama</c>: Falcon3-style, no sub-norms, SwiGLU, untied or tied head. The file's q/k rows are permuted
/// for interleaved RoPE (convert_hf_to_gguf <c>LlamaModel.permute</c>), so the config says
/// <see cref="RopeStyle.Interleaved"/> and the rows are used as stored.</item>
/// <item><c>bitnet</c>: sub-norms, optional F32 [1] <c>.scale</c> tensors multiplied onto the BitLinear output,
/// tied head, NEOX RoPE, SiLU unless <c>bitnet.hidden_activation</c> says relu2.</item>
/// <item><c>bitnet-b1.58</c> / <c>bitnet-25</c> (bitnet.cpp): as bitnet, ReLU² (<c>build_bitnet_158</c> uses
/// LLM_FFN_RELU_SQR), usually I2_S weights. NEOX RoPE with unpermuted q/k is assumed as for upstream <c>bitnet</c>
/// (UNVERIFIED for Microsoft's released ggml-model-i2_s.gguf: no such file can be read here).</item>
/// </list>
/// Ternary weights may be TQ1_0, TQ2_0, I2_S, or F32/F16/BF16 values: float weights equal to {−s, 0, +s} give
/// trits and s exactly; other float weights are ternarized with absmean (reported through <c>notes</c>).
/// </summary>
public static partial class GgufModelReader
{
    /// <summary>Loads <paramref name="path"/>; the weights stay memory-mapped until the result is disposed.</summary>
    public static LoadedModel Load(string path) => Load(path, null);

    /// <summary>Loads <paramref name="path"/> and appends anything approximate (e.g. absmean ternarization) to <paramref name="notes"/>.</summary>
    public static LoadedModel Load(string path, ICollection<string>? notes)
    {
        GgufFile file = GgufFile.Open(path);
        try
        {
            return Map(file, notes);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Maps an opened file; the result owns <paramref name="file"/>.</summary>
    public static LoadedModel Map(GgufFile file, ICollection<string>? notes = null)
    {
        ModelConfig config = ReadConfig(file);
        var reader = new TensorReader(file, notes);
        ModelWeights weights = reader.ReadWeights(config);
        weights.Validate(config);
        return new LoadedModel(config, weights, Tokenizer(file, config, notes), file.Metadata, file.Path) { Owner = file };
    }

    /// <summary>
    /// The file's own vocabulary (<see cref="GgufVocab"/>); a <see cref="ByteTokenizer"/> only when the file has none.
    /// A vocabulary the tokenizers cannot build (e.g. an unknown pre-tokenizer name) leaves the tokenizer null with a
    /// note, so weights can still be converted or inspected.
    /// </summary>
    private static ITokenizer? Tokenizer(GgufFile file, ModelConfig config, ICollection<string>? notes)
    {
        if (!file.Metadata.ContainsKey(GgufVocab.Prefix + "tokens"))
            return config.VocabSize >= 256 ? new ByteTokenizer(config.VocabSize, config.BosToken, config.EosToken) : null;
        try
        {
            return GgufVocab.Create(file.Metadata);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            notes?.Add($"{file.Path}: vocabulary not usable, no tokenizer: {e.Message}");
            return null;
        }
    }

    /// <summary>The blueprint of a GGUF model from its metadata (and the embedding's shape for the vocabulary size).</summary>
    public static ModelConfig ReadConfig(GgufFile file)
    {
        IReadOnlyDictionary<string, object> m = file.Metadata;
        string p = file.Path;
        string arch = m.GetString("general.architecture", p) ?? throw new InvalidDataException($"{p}: metadata 'general.architecture' is missing");
        bool llama = arch == GgufNames.Llama;
        if (!llama && arch != GgufNames.BitNet && !GgufFile.BitNetCppArchitectures.Contains(arch))
            throw new InvalidDataException($"{p}: architecture '{arch}' is not supported (llama, bitnet, bitnet-b1.58, bitnet-25)");
        string k = arch + ".";
        int dim = m.RequireInt(k + "embedding_length", p);
        int heads = m.RequireInt(k + "attention.head_count", p);
        int kvHeads = m.GetInt64(k + "attention.head_count_kv", p) is long kv ? (int)Math.Clamp(kv, 0, int.MaxValue) : heads;
        int headDim = m.GetInt64(k + "attention.key_length", p) is long kl ? (int)Math.Clamp(kl, 0, int.MaxValue) : dim / heads;
        if (m.GetInt64(k + "rope.dimension_count", p) is long rot && rot != headDim)
            throw new InvalidDataException($"{p}: '{k}rope.dimension_count' = {rot} differs from the head size {headDim}; partial RoPE is not supported");
        GgufTensorInfo embd = file.Require("token_embd.weight");
        if (embd.Shape.Length != 2 || embd.Shape[0] != dim || embd.Shape[1] > int.MaxValue)
            throw new InvalidDataException($"{p}: token_embd.weight has shape [{string.Join(", ", embd.Shape)}], expected [{dim}, vocab]");
        int vocab = (int)embd.Shape[1];
        if (m.GetInt64(k + "vocab_size", p) is long vs && vs != vocab)
            throw new InvalidDataException($"{p}: '{k}vocab_size' = {vs} but token_embd.weight has {vocab} rows");
        FfnActivation act = llama ? FfnActivation.Silu : Activation(m.GetString(k + GgufNames.HiddenActivationSuffix, p), arch, p);
        ModelFamily family = llama ? ModelFamily.Falcon3 : act == FfnActivation.Relu2 ? ModelFamily.BitNetB158 : ModelFamily.OneBitLlm;
        long? bos = m.GetInt64("tokenizer.ggml.bos_token_id", p), eos = m.GetInt64("tokenizer.ggml.eos_token_id", p);
        try
        {
            return new ModelConfig
            {
                Name = m.GetString("general.name", p) ?? Path.GetFileNameWithoutExtension(p),
                Family = family,
                Dim = dim,
                Layers = m.RequireInt(k + "block_count", p),
                Heads = heads,
                KvHeads = kvHeads,
                HeadDim = headDim,
                HiddenDim = m.RequireInt(k + "feed_forward_length", p),
                VocabSize = vocab,
                MaxSeqLen = m.GetInt64(k + "context_length", p) is long ctx ? (int)Math.Clamp(ctx, 1, int.MaxValue) : DefaultContext,
                RopeTheta = m.GetDouble(k + "rope.freq_base", p) ?? DefaultRopeTheta,
                Rope = llama ? RopeStyle.Interleaved : RopeStyle.Neox,
                NormEps = (float)(m.GetDouble(k + "attention.layer_norm_rms_epsilon", p)
                    ?? throw new InvalidDataException($"{p}: metadata '{k}attention.layer_norm_rms_epsilon' is missing")),
                Activation = act,
                SubNorms = !llama,
                TiedEmbeddings = !llama || file.Find("output.weight") is null,
                BosToken = bos is >= 0 && bos < vocab ? (int)bos : -1,
                EosToken = eos is >= 0 && eos < vocab ? (int)eos : -1,
            }.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{p}: {e.Message}", e);
        }
    }

    /// <summary>llama.cpp's default <c>n_ctx_train</c> when a file has no context length is unknown; we use 4,096.</summary>
    public const int DefaultContext = 4096;

    /// <summary>llama.cpp's default <c>rope_freq_base_train</c> (10,000) when the key is absent.</summary>
    public const double DefaultRopeTheta = 10000.0;

    private static FfnActivation Activation(string? name, string arch, string path) => name switch
    {
        null => GgufFile.BitNetCppArchitectures.Contains(arch) ? FfnActivation.Relu2 : FfnActivation.Silu,
        "silu" or "swish" or "swiglu" => FfnActivation.Silu,
        "relu2" or "relu_sqr" or "relu_squared" => FfnActivation.Relu2,
        _ => throw new InvalidDataException($"{path}: '{arch}.hidden_activation' = '{name}' is not supported (silu, relu2)"),
    };
}
