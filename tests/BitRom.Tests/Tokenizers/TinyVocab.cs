using BitRom.Model.Tokenizers;

namespace BitRom.Tests.Tokenizers;

/// <summary>
/// A small byte-level BPE vocabulary whose ids are derived by hand in the tests: ids 0..255 are the bytes (GPT-2
/// alphabet), then merge results in merge order, then two control tokens.
/// </summary>
internal static class TinyVocab
{
    public const int BeginOfText = 267, EotId = 268;

    /// <summary>Merges in rank order; each result gets id 256 + rank.</summary>
    public static readonly (string L, string R)[] Merges =
    [
        ("Ġ", "t"),     // 256 Ġt
        ("h", "e"),     // 257 he
        ("Ġt", "he"),   // 258 Ġthe
        ("l", "l"),     // 259 ll
        ("e", "ll"),    // 260 ell
        ("h", "ell"),   // 261 hell
        ("hell", "o"),  // 262 hello
        ("1", "2"),     // 263 12
        (ByteLevel.Char(0x80).ToString(), "a"), // 264: last byte of 😀 (F0 9F 98 80) followed by 'a'
        ("Ġ", "Ġ"),     // 265 ĠĠ
        ("ĠĠ", "Ġ"),    // 266 ĠĠĠ
    ];

    public static Dictionary<string, int> Vocab()
    {
        var v = new Dictionary<string, int>();
        for (int b = 0; b < 256; b++) v[ByteLevel.Char((byte)b).ToString()] = b;
        for (int i = 0; i < Merges.Length; i++) v[Merges[i].L + Merges[i].R] = 256 + i;
        return v;
    }

    public static SpecialToken[] Specials => [new(BeginOfText, "<|begin_of_text|>", true), new(EotId, "<|eot_id|>", true)];

    public static ByteLevelBpeTokenizer Llama3(bool ignoreMerges = true) =>
        new(Vocab(), Merges, Specials, new PreTokenizer([PreTokenizer.Llama3Pattern]), ignoreMerges, BeginOfText, EotId);

    /// <summary>Tokens, types and merges as GGUF metadata holds them.</summary>
    public static (string[] Tokens, int[] Types, string[] Merges) Gguf()
    {
        var tokens = new string[EotId + 1];
        foreach (var (t, id) in Vocab()) tokens[id] = t;
        tokens[BeginOfText] = "<|begin_of_text|>";
        tokens[EotId] = "<|eot_id|>";
        int[] types = tokens.Select((_, i) => i >= BeginOfText ? (int)PieceType.Control : (int)PieceType.Normal).ToArray();
        return (tokens, types, Merges.Select(m => m.L + " " + m.R).ToArray());
    }
}
