using System.Text;
using BitRom.Model.Architectures;
using BitRom.Model.Formats.Hf;
using Xunit;

namespace BitRom.Tests.Formats.Hf;

public class HfConfigTests
{
    /// <summary>microsoft/bitnet-b1.58-2B-4T config.json fields as FORMATS.md §2.1 lists them.</summary>
    internal const string Config2B4T = """
        {"architectures":["BitNetForCausalLM"],"model_type":"bitnet","hidden_size":2560,"num_hidden_layers":30,
         "num_attention_heads":20,"num_key_value_heads":5,"intermediate_size":6912,"vocab_size":128256,
         "max_position_embeddings":4096,"rope_theta":500000.0,"rms_norm_eps":1e-05,"hidden_act":"relu2",
         "tie_word_embeddings":true,"bos_token_id":128000,"eos_token_id":128001,"torch_dtype":"bfloat16",
         "attention_bias":false,
         "quantization_config":{"quant_method":"bitnet","linear_class":"autobitlinear","quantization_mode":"offline"}}
        """;

    /// <summary>tiiuae/Falcon3-1B-Instruct-1.58bit config.json fields (FORMATS.md §2.2): no linear_class.</summary>
    internal const string ConfigFalcon3 = """
        {"architectures":["LlamaForCausalLM"],"model_type":"llama","hidden_size":2048,"num_hidden_layers":18,
         "num_attention_heads":8,"num_key_value_heads":4,"head_dim":256,"intermediate_size":8192,"vocab_size":131072,
         "max_position_embeddings":8192,"rope_theta":1000042,"rms_norm_eps":1e-06,"hidden_act":"silu",
         "tie_word_embeddings":false,"bos_token_id":11,"eos_token_id":11,"is_bitnet_config":true,
         "quantization_config":{"modules_to_not_convert":["lm_head"],"quant_method":"bitnet"}}
        """;

    /// <summary>1bitLLM/bitnet_b1_58-large config.json fields (FORMATS.md §2.3).</summary>
    internal const string ConfigOneBitLarge = """
        {"architectures":["BitnetForCausalLM"],"model_type":"llama","hidden_size":1536,"num_hidden_layers":24,
         "num_attention_heads":16,"num_key_value_heads":16,"intermediate_size":4096,"vocab_size":32002,
         "max_position_embeddings":2048,"rope_theta":10000.0,"rms_norm_eps":1e-05,"hidden_act":"silu",
         "tie_word_embeddings":true,"bos_token_id":1,"eos_token_id":2,"weight_bits":1,"input_bits":8,"torch_dtype":"float16"}
        """;

    private static HfConfig Parse(string json) => HfConfig.Parse(Encoding.UTF8.GetBytes(json), "config.json");

    [Theory]
    [InlineData(Config2B4T, "bitnet-b1.58-2b-4t")]
    [InlineData(ConfigFalcon3, "falcon3-1b-1.58bit")]
    [InlineData(ConfigOneBitLarge, "bitnet-b1.58-large")]
    public void Parse_PublishedConfig_MapsToThePreset(string json, string preset)
    {
        ModelConfig got = Parse(json).ToModelConfig(preset);
        Assert.Equal(Presets.Get(preset), got);
    }

    [Fact]
    public void Parse_LinearClass_AbsentIsBitLinear_AutoIsAutoBitLinear()
    {
        Assert.Equal(HfLinearClass.BitLinear, Parse(ConfigFalcon3).LinearClass);
        Assert.Equal(["lm_head"], Parse(ConfigFalcon3).ModulesToNotConvert);
        Assert.Equal(HfLinearClass.AutoBitLinear, Parse(Config2B4T).LinearClass);
        Assert.Equal("offline", Parse(Config2B4T).QuantizationMode);
        Assert.Equal(256, Parse(ConfigFalcon3).HeadDim);
        Assert.Null(Parse(ConfigOneBitLarge).QuantMethod);
    }

    [Theory]
    [InlineData("\"hidden_size\":2560,", "", "hidden_size")]
    [InlineData("\"hidden_size\":2560", "\"hidden_size\":\"big\"", "hidden_size")]
    [InlineData("\"num_hidden_layers\":30", "\"num_hidden_layers\":-1", "num_hidden_layers")]
    [InlineData("\"hidden_act\":\"relu2\"", "\"hidden_act\":\"gelu\"", "hidden_act")]
    [InlineData("\"rms_norm_eps\":1e-05,", "", "rms_norm_eps")]
    [InlineData("\"rope_theta\":500000.0", "\"rope_theta\":0", "rope_theta")]
    [InlineData("\"linear_class\":\"autobitlinear\"", "\"linear_class\":\"fancy\"", "linear_class")]
    [InlineData("\"quant_method\":\"bitnet\"", "\"quant_method\":\"gptq\"", "quant_method")]
    [InlineData("[\"BitNetForCausalLM\"]", "[\"GPT2LMHeadModel\"]", "architectures")]
    [InlineData("\"tie_word_embeddings\":true", "\"tie_word_embeddings\":1", "tie_word_embeddings")]
    [InlineData("\"bos_token_id\":128000", "\"bos_token_id\":-5", "bos_token_id")]
    [InlineData("\"model_type\":\"bitnet\",", "", "model_type")]
    [InlineData("\"attention_bias\":false", "\"attention_bias\":true", "attention_bias")]
    [InlineData("\"attention_bias\":false", "\"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":8.0}", "rope_scaling")]
    public void Parse_MissingOrInvalidField_ThrowsNamingTheField(string find, string replace, string field)
    {
        string json = Config2B4T.Replace(find, replace);
        Assert.NotEqual(Config2B4T, json);
        var e = Assert.Throws<InvalidDataException>(() => Parse(json));
        Assert.Contains(field, e.Message);
        Assert.Contains("config.json", e.Message);
    }

    [Fact]
    public void Parse_LlamaWithoutBitnetQuantization_IsRejected()
    {
        string plain = System.Text.RegularExpressions.Regex.Replace(ConfigFalcon3, ",\\s*\"quantization_config\":\\{[^}]*\\}", "");
        Assert.DoesNotContain("quant_method", plain);
        Assert.Contains("architectures", Assert.Throws<InvalidDataException>(() => Parse(plain)).Message);
    }

    [Fact]
    public void ToModelConfig_HeadsNotMultipleOfKvHeads_ThrowsArgument()
    {
        HfConfig c = Parse(Config2B4T.Replace("\"num_key_value_heads\":5", "\"num_key_value_heads\":3"));
        Assert.Throws<ArgumentException>(() => c.ToModelConfig("x"));
    }

    [Fact]
    public void Parse_EosList_TakesFirstId()
    {
        Assert.Equal(128001, Parse(Config2B4T.Replace("\"eos_token_id\":128001", "\"eos_token_id\":[128001,128009]")).EosTokenId);
    }
}
