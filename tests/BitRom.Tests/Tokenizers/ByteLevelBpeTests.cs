using System.Text;
using BitRom.Model.Tokenizers;
using Xunit;

namespace BitRom.Tests.Tokenizers;

/// <summary>Expected ids are derived by hand from <see cref="TinyVocab"/> (derivations in the comments).</summary>
public class ByteLevelBpeTests
{
    [Fact]
    public void Encode_MergesLowestRankFirst_WithoutIgnoreMerges()
    {
        // "hello" → h e l l o; he (rank 1) first, then ll (3): [he, ll, o]; "he ll" is not a merge, so it stops there.
        // " the"  → Ġ t h e; Ġt (0), he (1), Ġt+he (2) → Ġthe.
        Assert.Equal([257, 259, 111, 258], TinyVocab.Llama3(ignoreMerges: false).Encode("hello the", addBos: false));
    }

    [Fact]
    public void Encode_IgnoreMerges_TakesWholePieceThatIsAToken()
    {
        // Llama-3 ignore_merges: "hello" is token 262 itself.
        Assert.Equal([262, 258], TinyVocab.Llama3().Encode("hello the", addBos: false));
        Assert.Equal([TinyVocab.BeginOfText, 262], TinyVocab.Llama3().Encode("hello", addBos: true));
    }

    [Fact]
    public void Encode_DigitsGroupInThrees()
    {
        // \p{N}{1,3}: "123" "45"; 1 2 → 12 (263), then 3 (51); 4 5 are bytes 52 53.
        Assert.Equal([263, 51, 52, 53], TinyVocab.Llama3().Encode("12345", false));
    }

    [Fact]
    public void Encode_SpecialTokensSplitOutVerbatim()
    {
        Assert.Equal([TinyVocab.BeginOfText, 104, 105, TinyVocab.EotId], TinyVocab.Llama3().Encode("<|begin_of_text|>hi<|eot_id|>", false));
        // Without special parsing, control tokens are text: '<' '|' are one piece (punctuation run), ...
        IReadOnlyList<int> plain = TinyVocab.Llama3().Encode("<|eot_id|>", false, parseSpecial: false);
        Assert.DoesNotContain(TinyVocab.EotId, plain);
        Assert.Equal("<|eot_id|>", TinyVocab.Llama3().Decode(plain));
    }

    [Fact]
    public void Encode_WhitespaceRuns_FollowTheLookahead()
    {
        // "a  b": "a", then \s+(?!\S) backs off to " ", then " b"  → 97, Ġ(32), Ġ(32) b(98).
        Assert.Equal([97, 32, 32, 98], TinyVocab.Llama3().Encode("a  b", false));
        // "a    b": "a", "   " (ĠĠĠ is token 266 under ignore_merges), " b".
        Assert.Equal([97, 266, 32, 98], TinyVocab.Llama3().Encode("a    b", false));
        // A newline run is one piece: \s*[\r\n]+ ; Ċ is byte 10.
        Assert.Equal([97, 10, 10, 98], TinyVocab.Llama3().Encode("a\n\nb", false));
    }

    [Fact]
    public void Encode_SupplementaryCharacter_IsOneCodePointForTheRegex()
    {
        // 😀 (F0 9F 98 80) is not a letter, so [^\r\n\p{L}\p{N}]?\p{L}+ takes "😀a" as one piece and the merge
        // (0x80, a) = 264 applies: 240 159 152 264. Split in UTF-16 halves it would not: ... 128 97.
        Assert.Equal([240, 159, 152, 264], TinyVocab.Llama3().Encode("😀a", false));
        // A supplementary letter (U+1D400 MATHEMATICAL BOLD CAPITAL A) stays in the letter run with 'b'.
        var pieces = new PreTokenizer([PreTokenizer.Llama3Pattern]).Split("x 𝐀b!");
        Assert.Equal(["x", " 𝐀b", "!"], pieces);
    }

    [Theory]
    [InlineData("hello the world 12345 😀a\n\n  x<|eot_id|>é")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("日本語のテキスト")]
    public void Decode_OfEncode_ReturnsText(string text)
    {
        ByteLevelBpeTokenizer t = TinyVocab.Llama3();
        string expected = text.Replace("<|eot_id|>", ""); // control tokens decode to nothing
        Assert.Equal(expected, t.Decode(t.Encode(text, false)));
    }

    [Fact]
    public void ByteLevel_MapsSpaceNewlineAndRoundTripsAllBytes()
    {
        Assert.Equal('Ġ', ByteLevel.Char(0x20));
        Assert.Equal('Ċ', ByteLevel.Char(0x0A));
        Assert.Equal('!', ByteLevel.Char(0x21));
        byte[] all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        Assert.Equal(all, ByteLevel.TryDecode(ByteLevel.Encode(all)));
        Assert.Equal(256, ByteLevel.Encode(all).Distinct().Count());
    }

    [Fact]
    public void Gpt2Pattern_SplitsLikeGpt2()
    {
        var p = new PreTokenizer([PreTokenizer.Gpt2Pattern]);
        Assert.Equal(["Hello", ",", " world", "'s", " 123", "  ", " x", "\n"], p.Split("Hello, world's 123   x\n"));
    }

    [Fact]
    public void SplitToByteLevel_StepsAfterByteLevel_SeeTheMappedAlphabet()
    {
        // Falcon-7B's sequence: Punctuation(Contiguous), ByteLevel(use_regex), Digits, Split [0-9]{3}.
        // "Hi!! 12345 x²" → Punctuation: "Hi" "!!" " 12345 x²"; GPT-2 regex: " 12345" " x" "²";
        // byte mapping: "Ġ12345" "Ġx" "Â²" (² is C2 B2, both printable in the GPT-2 alphabet);
        // Digits on mapped text: "Ġ" "12345", "Â" "²"; then [0-9]{3}: "123" "45".
        var p = new PreTokenizer([PreTokenizer.PunctuationContiguousPattern, PreTokenizer.Gpt2Pattern, @"\p{N}+", "[0-9][0-9][0-9]"], byteLevelAt: 2);
        Assert.Equal(["Hi", "!!", "Ġ", "123", "45", "Ġx", "Â", "²"], p.SplitToByteLevel("Hi!! 12345 x²"));
    }

    [Fact]
    public void Encode_LStripRStripSpecials_EatAdjacentWhitespace()
    {
        // An added token with lstrip/rstrip swallows the spaces beside it (llama.cpp LSTRIP/RSTRIP, HF AddedToken).
        var t = new ByteLevelBpeTokenizer(TinyVocab.Vocab(), TinyVocab.Merges,
            [new SpecialToken(TinyVocab.EotId, "<mask>", Control: false, LStrip: true, RStrip: true)],
            new PreTokenizer([PreTokenizer.Llama3Pattern]), ignoreMerges: true, -1, -1);
        Assert.Equal([104, 105, TinyVocab.EotId, 104, 105], t.Encode("hi  <mask>  hi", false));
        Assert.Equal("hi<mask>hi", t.Decode(t.Encode("hi  <mask>  hi", false)));
    }
}
