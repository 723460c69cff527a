using BitRom.Model.Tokenizers;
using Xunit;

namespace BitRom.Tests.Tokenizers;

/// <summary>
/// SentencePiece BPE through Microsoft.ML.Tokenizers on a Llama-2-style vocabulary written here:
/// 0 &lt;unk&gt;, 1 &lt;s&gt;, 2 &lt;/s&gt;, 3..258 byte pieces &lt;0x00&gt;..&lt;0xFF&gt;, then pieces with scores.
/// </summary>
public class SentencePieceTests
{
    private static readonly (string Text, float Score)[] Extra =
    [
        ("▁", -100), ("h", -101), ("e", -102), ("l", -103), ("o", -104), ("w", -105), ("r", -106), ("d", -107),
        ("he", -1), ("ll", -2), ("▁he", -3), ("llo", -4), ("▁hello", -5), ("▁w", -6), ("or", -7), ("▁wor", -8),
    ];

    internal static List<Piece> Pieces()
    {
        var p = new List<Piece> { new("<unk>", 0, PieceType.Unknown), new("<s>", 0, PieceType.Control), new("</s>", 0, PieceType.Control) };
        for (int b = 0; b < 256; b++) p.Add(new Piece($"<0x{b:X2}>", 0, PieceType.Byte));
        p.AddRange(Extra.Select(e => new Piece(e.Text, e.Score, PieceType.Normal)));
        return p;
    }

    private static int Id(string piece) => 259 + Array.FindIndex(Extra, e => e.Text == piece);

    private static SentencePieceTokenizerAdapter Tokenizer() =>
        SentencePieceTokenizerAdapter.Load(new MemoryStream(SentencePieceModelProto.Write(Pieces(), 0, 1, 2, addDummyPrefix: true, byteFallback: true)), "tokenizer.model");

    [Fact]
    public void Encode_MergesByScore_WithDummyPrefix()
    {
        // "hello" → "▁hello": he (−1) > ll (−2) > ▁he (−3) > llo (−4) > ▁hello (−5) → one piece.
        Assert.Equal([Id("▁hello")], Tokenizer().Encode("hello", addBos: false));
        // " world" pieces: ▁ w o r l d → ▁w (−6)? or (−7) ... ▁w first (higher), then or, then ▁wor; l, d stay.
        Assert.Equal([1, Id("▁hello"), Id("▁wor"), Id("l"), Id("d")], Tokenizer().Encode("hello world", addBos: true));
    }

    [Fact]
    public void Encode_UnknownCharacter_FallsBackToBytes()
    {
        // "▁hé": no piece "▁h" or "hé", so ▁, h, then 'é' (C3 A9) as byte pieces 3 + 0xC3, 3 + 0xA9.
        Assert.Equal([Id("▁"), Id("h"), 3 + 0xC3, 3 + 0xA9], Tokenizer().Encode("hé", false));
        Assert.Equal("hé", Tokenizer().Decode(Tokenizer().Encode("hé", false)));
    }

    /// <summary>The same vocabulary as GGUF <c>llama</c> metadata.</summary>
    internal static Dictionary<string, object> GgufMetadata()
    {
        List<Piece> p = Pieces();
        return new Dictionary<string, object>
        {
            ["tokenizer.ggml.model"] = "llama",
            ["tokenizer.ggml.tokens"] = p.Select(x => x.Text).ToArray(),
            ["tokenizer.ggml.scores"] = p.Select(x => x.Score).ToArray(),
            ["tokenizer.ggml.token_type"] = p.Select(x => (int)x.Type).ToArray(),
            ["tokenizer.ggml.bos_token_id"] = 1u,
            ["tokenizer.ggml.eos_token_id"] = 2u,
            ["tokenizer.ggml.unknown_token_id"] = 0u,
        };
    }

    [Fact]
    public void Create_GgufLlamaVocab_MatchesTheProtobufModel()
    {
        ITokenizer g = GgufVocab.Create(GgufMetadata());
        Assert.Equal(Tokenizer().Encode("hello world hé", true), g.Encode("hello world hé", true));
        Assert.Equal(2, g.EosToken);
    }

    [Fact]
    public void Load_Garbage_ThrowsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => SentencePieceTokenizerAdapter.Load(new MemoryStream([0xFF, 0xFF, 0xFF, 0x01]), "bad.model"));
    }
}
