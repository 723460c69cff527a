using System.Text;
using System.Text.Json;
using BitRom.Model.Tokenizers.Training;
using CsCheck;
using Xunit;

namespace BitRom.Tests.Training;

/// <summary>Byte-level BPE: the byte map, training, encoding round trips and the tokenizer.json layout.</summary>
public class BpeTests
{
    private const string Sample =
        "In the beginning God created the heaven and the earth.\n" +
        "And the earth was without form, and void; and darkness was upon the face of the deep.\n" +
        "And the Spirit of God moved upon the face of the waters.\n" +
        "And God said, Let there be light: and there was light.\n" +
        "And God saw the light, that it was good: and God divided the light from the darkness.\n";

    private static readonly Lazy<BpeTokenizer> Tokenizer = new(() => new BpeTokenizer(BpeTrainer.Train(Sample, 300)));

    [Fact]
    public void BytePieces_Gpt2Pattern_SplitsWordsWithLeadingSpace()
    {
        string[] pieces = [.. BytePieces.Split("And God's  light\n12 ok!")];
        Assert.Equal(["And", " God", "'s", " ", " light", "\n", "12", " ok", "!"], pieces);
    }

    [Fact]
    public void BytePieces_InvalidUtf8_SplitsBytesAndConcatenatesBack()
    {
        byte[] bytes = [(byte)'a', 0xFF, (byte)' ', (byte)'b', 0xC3];
        byte[][] pieces = [.. BytePieces.Split(bytes)];
        Assert.Equal(bytes, pieces.SelectMany(p => p).ToArray());
        Assert.Contains(pieces, p => p.Length == 1 && p[0] == 0xFF);
    }

    [Fact]
    public void Train_Sample_HasRequestedSizeSpecialsAndConsistentMerges()
    {
        BpeVocabulary v = BpeTrainer.Train(Sample, 300);
        Assert.Equal(300, v.Count);
        Assert.Equal(298, v.Bos);
        Assert.Equal(299, v.Eos);
        Assert.Equal(BpeVocabulary.DefaultBos, v.Tokens[v.Bos]);
        Assert.Equal(BpeVocabulary.TypeControl, v.TokenTypes()[v.Eos]);
        for (int i = 0; i < v.Merges.Count; i++)
            Assert.Equal(v.Merges[i].Left + v.Merges[i].Right, v.Tokens[256 + i]);
        // Training is deterministic.
        Assert.Equal(v.Tokens, BpeTrainer.Train(Sample, 300).Tokens);
    }

    [Fact]
    public void Encode_FrequentWord_IsOneToken()
    {
        var ids = Tokenizer.Value.Encode(" God", addBos: false);
        Assert.Single(ids);
        Assert.Equal("ĠGod", Tokenizer.Value.Vocabulary.Tokens[ids[0]]);
    }

    [Fact]
    public void EncodeBytes_AnyBytes_RoundTrips()
    {
        Gen.Byte.Array[0, 64].Sample(bytes =>
        {
            var ids = Tokenizer.Value.EncodeBytes(bytes);
            Assert.Equal(bytes, Tokenizer.Value.DecodeBytes(ids));
        }, iter: 500);
    }

    [Fact]
    public void Encode_AnyValidText_RoundTrips()
    {
        Gen.String.Sample(s =>
        {
            string valid = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(s)); // lone surrogates become U+FFFD
            Assert.Equal(valid, Tokenizer.Value.Decode(Tokenizer.Value.Encode(valid, addBos: false)));
        }, iter: 500);
        Assert.Equal(Sample, Tokenizer.Value.Decode(Tokenizer.Value.Encode(Sample, addBos: true)));
    }

    [Fact]
    public void TokenizerJson_HasHfLayout()
    {
        BpeVocabulary v = Tokenizer.Value.Vocabulary;
        using var ms = new MemoryStream();
        TokenizerJsonWriter.Write(ms, v);
        using var doc = JsonDocument.Parse(ms.ToArray());
        JsonElement model = doc.RootElement.GetProperty("model");
        Assert.Equal("BPE", model.GetProperty("type").GetString());
        Assert.Equal(v.Count, model.GetProperty("vocab").EnumerateObject().Count());
        Assert.Equal(v.Merges.Count, model.GetProperty("merges").GetArrayLength());
        Assert.Equal("ByteLevel", doc.RootElement.GetProperty("pre_tokenizer").GetProperty("type").GetString());
        JsonElement added = doc.RootElement.GetProperty("added_tokens");
        Assert.Equal(2, added.GetArrayLength());
        Assert.Equal(v.Bos, added[0].GetProperty("id").GetInt32());
        Assert.Equal(1, model.GetProperty("vocab").GetProperty("ĠGod").GetInt32() >= 256 ? 1 : 0);
    }
}
