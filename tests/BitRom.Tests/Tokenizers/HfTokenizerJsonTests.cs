using System.Text;
using System.Text.Json;
using BitRom.Model.Tokenizers;
using Xunit;

namespace BitRom.Tests.Tokenizers;

public class HfTokenizerJsonTests
{
    /// <summary>The original Llama-3 tokenizer.json split pattern (with the case-insensitive group).</summary>
    internal const string Llama3JsonPattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>A tokenizer.json in the Llama-3 layout over <see cref="TinyVocab"/>.</summary>
    internal static string Json(bool mergesAsPairs, bool ignoreMerges = true) =>
        Json(TinyVocab.Vocab(), TinyVocab.Merges, TinyVocab.Specials, mergesAsPairs, ignoreMerges);

    /// <summary>A tokenizer.json in the Llama-3 layout (Split with the original pattern, then ByteLevel) for any vocabulary.</summary>
    internal static string Json(IReadOnlyDictionary<string, int> vocab, IReadOnlyList<(string L, string R)> merges, IEnumerable<SpecialToken> specials,
        bool mergesAsPairs, bool ignoreMerges = true)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("version", "1.0");
            w.WriteStartArray("added_tokens");
            foreach (SpecialToken s in specials)
            {
                w.WriteStartObject();
                w.WriteNumber("id", s.Id);
                w.WriteString("content", s.Content);
                w.WriteBoolean("single_word", false);
                w.WriteBoolean("lstrip", false);
                w.WriteBoolean("rstrip", false);
                w.WriteBoolean("normalized", false);
                w.WriteBoolean("special", s.Control);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNull("normalizer");
            w.WriteStartObject("pre_tokenizer");
            w.WriteString("type", "Sequence");
            w.WriteStartArray("pretokenizers");
            w.WriteStartObject();
            w.WriteString("type", "Split");
            w.WriteStartObject("pattern");
            w.WriteString("Regex", Llama3JsonPattern);
            w.WriteEndObject();
            w.WriteString("behavior", "Isolated");
            w.WriteBoolean("invert", false);
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteString("type", "ByteLevel");
            w.WriteBoolean("add_prefix_space", false);
            w.WriteBoolean("trim_offsets", true);
            w.WriteBoolean("use_regex", false);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("model");
            w.WriteString("type", "BPE");
            w.WriteBoolean("ignore_merges", ignoreMerges);
            w.WriteStartObject("vocab");
            foreach (var (t, id) in vocab.OrderBy(kv => kv.Value)) w.WriteNumber(t, id);
            w.WriteEndObject();
            w.WriteStartArray("merges");
            foreach (var (l, r) in merges)
            {
                if (mergesAsPairs)
                {
                    w.WriteStartArray();
                    w.WriteStringValue(l);
                    w.WriteStringValue(r);
                    w.WriteEndArray();
                }
                else w.WriteStringValue(l + " " + r);
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static ByteLevelBpeTokenizer Parse(string json) => HfTokenizerJson.Parse(Encoding.UTF8.GetBytes(json), "tokenizer.json", TinyVocab.BeginOfText, TinyVocab.EotId);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Parse_MergesAsStringsOrPairs_GiveTheHandDerivedIds(bool pairs)
    {
        ByteLevelBpeTokenizer t = Parse(Json(pairs));
        Assert.True(t.IgnoreMerges);
        Assert.Equal([TinyVocab.BeginOfText, 262, 258, 263, 51, TinyVocab.EotId], t.Encode("<|begin_of_text|>hello the123<|eot_id|>", false));
        Assert.Equal([257, 259, 111], Parse(Json(pairs, ignoreMerges: false)).Encode("hello", false));
    }

    [Fact]
    public void Parse_SameIdsAsTheDirectlyBuiltTokenizer_OnMixedText()
    {
        ByteLevelBpeTokenizer a = Parse(Json(false)), b = TinyVocab.Llama3();
        foreach (string s in new[] { "It's 'S we'LL go", "x\r\n\r\n y", "😀😀abc 12 345 6789", "tab\tend  ", "ſ's" })
            Assert.Equal(b.Encode(s, false), a.Encode(s, false));
    }

    [Theory]
    [InlineData("\"type\":\"BPE\"", "\"type\":\"WordPiece\"", "model.type")]
    [InlineData("\"type\":\"ByteLevel\"", "\"type\":\"Metaspace\"", "Metaspace")]
    [InlineData("\"behavior\":\"Isolated\"", "\"behavior\":\"Removed\"", "behavior")]
    [InlineData("\"normalizer\":null", "\"normalizer\":{\"type\":\"NFC\"}", "normalizer")]
    [InlineData("\"h e\"", "\"he\"", "model.merges[1]")]
    [InlineData("\"id\":267", "\"id\":-1", "added_tokens[0].id")]
    [InlineData("\"Regex\":", "\"Regexp\":", "pattern")]
    public void Parse_UnsupportedOrInvalidPart_ThrowsNamingIt(string find, string replace, string expected)
    {
        string json = Json(false);
        Assert.Contains(find, json);
        var e = Assert.Throws<InvalidDataException>(() => Parse(json.Replace(find, replace)));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Parse_InvalidRegex_ThrowsInvalidData()
    {
        string json = Json(false).Replace(JsonSerializer.Serialize(Llama3JsonPattern)[1..^1], "(unclosed");
        Assert.Throws<InvalidDataException>(() => Parse(json));
    }
}
