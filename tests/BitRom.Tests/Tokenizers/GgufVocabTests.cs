using BitRom.Model.Tokenizers;
using Xunit;

namespace BitRom.Tests.Tokenizers;

public class GgufVocabTests
{
    internal static Dictionary<string, object> Gpt2Metadata(bool typedArrays, string pre = "llama-bpe")
    {
        var (tokens, types, merges) = TinyVocab.Gguf();
        return new Dictionary<string, object>
        {
            ["tokenizer.ggml.model"] = "gpt2",
            ["tokenizer.ggml.pre"] = pre,
            ["tokenizer.ggml.tokens"] = typedArrays ? tokens : tokens.Cast<object>().ToArray(),
            ["tokenizer.ggml.token_type"] = typedArrays ? types : types.Select(t => (object)t).ToArray(),
            ["tokenizer.ggml.merges"] = typedArrays ? merges : merges.Cast<object>().ToArray(),
            ["tokenizer.ggml.bos_token_id"] = (uint)TinyVocab.BeginOfText,
            ["tokenizer.ggml.eos_token_id"] = (uint)TinyVocab.EotId,
        };
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Create_Gpt2Vocab_TypedOrObjectArrays_GiveTheHandDerivedIds(bool typed)
    {
        ITokenizer t = GgufVocab.Create(Gpt2Metadata(typed));
        Assert.Equal(TinyVocab.BeginOfText, t.BosToken);
        Assert.Equal([TinyVocab.BeginOfText, 262, 258, TinyVocab.EotId], t.Encode("hello the<|eot_id|>", addBos: true));
    }

    [Fact]
    public void Create_Gpt2PreTokenizer_DoesNotIgnoreMerges()
    {
        // llama.cpp's GPT2 pre-type keeps ignore_merges off: "hello" → he ll o.
        Assert.Equal([257, 259, 111], GgufVocab.Create(Gpt2Metadata(true, "gpt-2")).Encode("hello", false));
    }

    [Theory]
    [InlineData("tokenizer.ggml.model", "bert", "model")]
    [InlineData("tokenizer.ggml.pre", "qwen2", "pre")]
    [InlineData("tokenizer.ggml.bos_token_id", 99999u, "bos_token_id")]
    [InlineData("tokenizer.ggml.tokens", 5, "tokens")]
    [InlineData("tokenizer.ggml.token_type", "x", "token_type")]
    public void Create_BadKey_ThrowsNamingIt(string key, object value, string expected)
    {
        var md = Gpt2Metadata(true);
        md[key] = value;
        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => GgufVocab.Create(md)).Message);
    }

    [Fact]
    public void Create_MissingMergesOrTypeCountMismatch_Throws()
    {
        var md = Gpt2Metadata(true);
        md.Remove("tokenizer.ggml.merges");
        Assert.Contains("merges", Assert.Throws<InvalidDataException>(() => GgufVocab.Create(md)).Message);
        md = Gpt2Metadata(true);
        md["tokenizer.ggml.token_type"] = new[] { 1, 1 };
        Assert.Contains("token_type", Assert.Throws<InvalidDataException>(() => GgufVocab.Create(md)).Message);
    }
}
