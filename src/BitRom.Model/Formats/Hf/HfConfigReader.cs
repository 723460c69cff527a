using System.Text.Json;
using BitRom.Model.Architectures;

namespace BitRom.Model.Formats.Hf;


/// <summary>Strict field reader of config.json: every fault names the field.</summary>
internal readonly struct Reader(JsonElement root, string fileName)
{
    /// <summary>HF architecture names of the three families (FORMATS.md §2).</summary>
    private static ModelFamily FamilyOf(string arch, string? quant, string file) => arch switch
    {
        "BitNetForCausalLM" => ModelFamily.BitNetB158,
        // 1bitLLM's custom code spells it with a lowercase n (FORMATS.md §2.3).
        "BitnetForCausalLM" => ModelFamily.OneBitLlm,
        "LlamaForCausalLM" when quant == "bitnet" => ModelFamily.Falcon3,
        "LlamaForCausalLM" => throw new InvalidDataException($"{file}: architectures: LlamaForCausalLM without quantization_config.quant_method \"bitnet\" is not a ternary model"),
        _ => throw new InvalidDataException($"{file}: architectures: '{arch}' is not supported (BitNetForCausalLM, BitnetForCausalLM, LlamaForCausalLM with bitnet quantization)"),
    };

    public HfConfig Read()
    {
        if (!root.TryGetProperty("architectures", out JsonElement archs) || archs.ValueKind != JsonValueKind.Array
            || archs.GetArrayLength() == 0 || archs[0].ValueKind != JsonValueKind.String)
            throw Field("architectures", "missing or not a non-empty list of strings");
        string arch = archs[0].GetString()!;
        string modelType = String("model_type") ?? throw Field("model_type", "missing");

        string? quantMethod = null, mode = null;
        var linear = HfLinearClass.BitLinear;
        IReadOnlyList<string> notConvert = ["lm_head"];
        if (root.TryGetProperty("quantization_config", out JsonElement q) && q.ValueKind != JsonValueKind.Null)
        {
            if (q.ValueKind != JsonValueKind.Object) throw Field("quantization_config", "not an object");
            var sub = new Reader(q, fileName);
            quantMethod = sub.String("quant_method") ?? throw Field("quantization_config.quant_method", "missing");
            mode = sub.String("quantization_mode");
            linear = sub.String("linear_class") switch
            {
                null or "bitlinear" => HfLinearClass.BitLinear,
                "autobitlinear" => HfLinearClass.AutoBitLinear,
                string other => throw Field("quantization_config.linear_class", $"'{other}' is neither bitlinear nor autobitlinear"),
            };
            if (q.TryGetProperty("modules_to_not_convert", out JsonElement m) && m.ValueKind != JsonValueKind.Null)
            {
                if (m.ValueKind != JsonValueKind.Array || m.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
                    throw Field("quantization_config.modules_to_not_convert", "not a list of strings");
                notConvert = m.EnumerateArray().Select(e => e.GetString()!).ToArray();
            }
        }
        ModelFamily family = FamilyOf(arch, quantMethod, fileName);
        if (family != ModelFamily.OneBitLlm && quantMethod != "bitnet")
            throw Field("quantization_config.quant_method", $"'{quantMethod ?? "(absent)"}' must be \"bitnet\" for {arch}");

        // Features the engine does not run must not be dropped silently: they would give wrong logits.
        if (root.TryGetProperty("rope_scaling", out JsonElement rs) && rs.ValueKind != JsonValueKind.Null)
        {
            string? kind = rs.ValueKind == JsonValueKind.Object && rs.TryGetProperty("rope_type", out JsonElement rt) && rt.ValueKind == JsonValueKind.String ? rt.GetString()
                : rs.ValueKind == JsonValueKind.Object && rs.TryGetProperty("type", out JsonElement ty) && ty.ValueKind == JsonValueKind.String ? ty.GetString() : null;
            if (kind != "default") throw Field("rope_scaling", $"'{kind ?? rs.ToString()}' is not supported (plain RoPE only)");
        }
        foreach (string bias in new[] { "attention_bias", "mlp_bias" })
            if (Bool(bias) == true) throw Field(bias, "biases are not supported (no BitNet checkpoint has them)");

        int hidden = Int("hidden_size");
        int heads = Int("num_attention_heads");
        int kvHeads = OptionalInt("num_key_value_heads") ?? heads;
        int headDim = OptionalInt("head_dim") ?? (heads > 0 && hidden % heads == 0 ? hidden / heads : throw Field("head_dim", "missing and hidden_size is not a multiple of num_attention_heads"));
        string act = String("hidden_act") ?? String("hidden_activation") ?? throw Field("hidden_act", "missing");
        FfnActivation activation = act switch
        {
            "silu" or "swish" => FfnActivation.Silu,
            "relu2" => FfnActivation.Relu2,
            _ => throw Field("hidden_act", $"'{act}' is not supported (silu, relu2)"),
        };
        return new HfConfig
        {
            Architecture = arch, ModelType = modelType, Family = family,
            HiddenSize = hidden, Layers = Int("num_hidden_layers"), Heads = heads, KvHeads = kvHeads, HeadDim = headDim,
            IntermediateSize = Int("intermediate_size"), VocabSize = Int("vocab_size"),
            MaxPositions = Int("max_position_embeddings"),
            RopeTheta = Double("rope_theta") ?? 10000.0,
            RmsNormEps = (float)(Double("rms_norm_eps") ?? throw Field("rms_norm_eps", "missing")),
            Activation = activation,
            TieWordEmbeddings = Bool("tie_word_embeddings") ?? true,
            BosTokenId = TokenId("bos_token_id"), EosTokenId = TokenId("eos_token_id"),
            QuantMethod = quantMethod, LinearClass = linear, QuantizationMode = mode, ModulesToNotConvert = notConvert,
        };
    }

    private InvalidDataException Field(string name, string what) => new($"{fileName}: field '{name}': {what}");

    private string? String(string name)
    {
        if (!root.TryGetProperty(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null) return null;
        return e.ValueKind == JsonValueKind.String ? e.GetString() : throw Field(name, $"expected a string, found {e.ValueKind}");
    }

    private int? OptionalInt(string name)
    {
        if (!root.TryGetProperty(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null) return null;
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out int v)) throw Field(name, $"expected an integer, found {e}");
        if (v <= 0) throw Field(name, $"{v} must be positive");
        return v;
    }

    private int Int(string name) => OptionalInt(name) ?? throw Field(name, "missing");

    private double? Double(string name)
    {
        if (!root.TryGetProperty(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null) return null;
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out double v)) throw Field(name, $"expected a number, found {e}");
        if (!(v > 0) || double.IsInfinity(v) || (float)v == 0) throw Field(name, $"{v} must be positive and finite");
        return v;
    }

    private bool? Bool(string name)
    {
        if (!root.TryGetProperty(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null) return null;
        return e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Field(name, $"expected true or false, found {e}"),
        };
    }

    /// <summary>A token id, or the first of a list (Llama-3 style <c>eos_token_id: [128001, 128009]</c>); −1 when absent.</summary>
    private int TokenId(string name)
    {
        if (!root.TryGetProperty(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null) return -1;
        if (e.ValueKind == JsonValueKind.Array && e.GetArrayLength() > 0) e = e[0];
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out int v) || v < 0) throw Field(name, $"expected a non-negative integer, found {e}");
        return v;
    }
}
