using System.Text.Json;
using BitRom.Model.Architectures;

namespace BitRom.Model.Formats.Hf;

/// <summary>Which BitLinear an HF checkpoint uses; decides the meaning of <c>weight_scale</c> (FORMATS.md §1.2).</summary>
public enum HfLinearClass
{
    /// <summary>transformers <c>BitLinear</c> (default when absent; Falcon3): y = x·W / weight_scale, so wEff = 1 / weight_scale.</summary>
    BitLinear,
    /// <summary>transformers <c>AutoBitLinear</c> (2B4T): y = x·W · weight_scale, so wEff = weight_scale.</summary>
    AutoBitLinear,
}

/// <summary>
/// The fields of an HF <c>config.json</c> that decide a BitNet model (FORMATS.md §2), parsed strictly:
/// a missing or ill-typed required field throws naming it.
/// </summary>
public sealed record HfConfig
{
    /// <summary>Largest config.json accepted (real ones are ~1 kB).</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>First entry of <c>architectures</c>.</summary>
    public required string Architecture { get; init; }
    /// <summary><c>model_type</c> (bitnet, llama).</summary>
    public required string ModelType { get; init; }
    /// <summary>The family the architecture maps to.</summary>
    public required ModelFamily Family { get; init; }
    /// <summary>hidden_size.</summary>
    public required int HiddenSize { get; init; }
    /// <summary>num_hidden_layers.</summary>
    public required int Layers { get; init; }
    /// <summary>num_attention_heads.</summary>
    public required int Heads { get; init; }
    /// <summary>num_key_value_heads (defaults to the head count, as transformers does).</summary>
    public required int KvHeads { get; init; }
    /// <summary>head_dim (defaults to hidden_size / heads).</summary>
    public required int HeadDim { get; init; }
    /// <summary>intermediate_size.</summary>
    public required int IntermediateSize { get; init; }
    /// <summary>vocab_size.</summary>
    public required int VocabSize { get; init; }
    /// <summary>max_position_embeddings.</summary>
    public required int MaxPositions { get; init; }
    /// <summary>rope_theta (default 10000, the transformers Llama default).</summary>
    public required double RopeTheta { get; init; }
    /// <summary>rms_norm_eps.</summary>
    public required float RmsNormEps { get; init; }
    /// <summary>hidden_act mapped to the gate activation.</summary>
    public required FfnActivation Activation { get; init; }
    /// <summary>tie_word_embeddings (transformers default true when absent).</summary>
    public required bool TieWordEmbeddings { get; init; }
    /// <summary>bos_token_id or −1.</summary>
    public int BosTokenId { get; init; } = -1;
    /// <summary>eos_token_id (first, when a list) or −1.</summary>
    public int EosTokenId { get; init; } = -1;
    /// <summary>quantization_config.quant_method, or null for an unquantized checkpoint.</summary>
    public string? QuantMethod { get; init; }
    /// <summary>quantization_config.linear_class (absent = bitlinear).</summary>
    public HfLinearClass LinearClass { get; init; } = HfLinearClass.BitLinear;
    /// <summary>quantization_config.quantization_mode (offline/online), or null.</summary>
    public string? QuantizationMode { get; init; }
    /// <summary>quantization_config.modules_to_not_convert (default ["lm_head"]).</summary>
    public IReadOnlyList<string> ModulesToNotConvert { get; init; } = ["lm_head"];

    /// <summary>Maps the config to the engine's blueprint.</summary>
    public ModelConfig ToModelConfig(string name) => new ModelConfig
    {
        Name = name, Family = Family,
        Dim = HiddenSize, Layers = Layers, Heads = Heads, KvHeads = KvHeads, HeadDim = HeadDim,
        HiddenDim = IntermediateSize, VocabSize = VocabSize, MaxSeqLen = MaxPositions,
        RopeTheta = RopeTheta, NormEps = RmsNormEps, Activation = Activation,
        // HF rotate-half (transformers apply_rotary_pos_emb) pairs i with i + HeadDim/2: GGUF NEOX.
        Rope = BitRom.Numerics.Floats.RopeStyle.Neox,
        SubNorms = Family != ModelFamily.Falcon3,
        TiedEmbeddings = TieWordEmbeddings,
        BosToken = BosTokenId, EosToken = EosTokenId,
    }.Validate();

    /// <summary>Parses config.json bytes; <paramref name="fileName"/> names the file in errors.</summary>
    public static HfConfig Parse(ReadOnlySpan<byte> json, string fileName)
    {
        if (json.Length > MaxBytes) throw new InvalidDataException($"{fileName}: {json.Length} bytes exceeds the config limit of {MaxBytes}");
        return UntrustedJson.Read(json, fileName, 32, root =>
            root.ValueKind != JsonValueKind.Object
                ? throw new InvalidDataException($"{fileName}: config is not a JSON object")
                : new Reader(root, fileName).Read());
    }

    /// <summary>Reads <c>config.json</c> from <paramref name="directory"/>.</summary>
    public static HfConfig Load(string directory)
    {
        string path = Path.Combine(directory, "config.json");
        if (!File.Exists(path)) throw new FileNotFoundException($"{directory}: no config.json", path);
        var info = new FileInfo(path);
        if (info.Length > MaxBytes) throw new InvalidDataException($"{path}: {info.Length} bytes exceeds the config limit of {MaxBytes}");
        return Parse(File.ReadAllBytes(path), path);
    }
}
