namespace BitRom.Model.Tokenizers;

/// <summary>
/// The tokenizer stored in GGUF metadata (ggml <c>docs/gguf.md</c> "Tokenizer"; llama.cpp <c>llama-vocab.cpp</c>
/// <c>load</c>): <c>tokenizer.ggml.model</c> <c>gpt2</c> (byte-level BPE with <c>merges</c> and a <c>pre</c> pattern name)
/// or <c>llama</c> (SentencePiece with <c>scores</c>). Metadata values may be typed arrays or object[] of boxed values.
/// </summary>
public static class GgufVocab
{
    /// <summary>Key prefix of the tokenizer metadata.</summary>
    public const string Prefix = "tokenizer.ggml.";

    /// <summary>Builds the tokenizer the metadata describes; throws <see cref="InvalidDataException"/> naming the key at fault.</summary>
    public static ITokenizer Create(IReadOnlyDictionary<string, object> metadata)
    {
        string model = String(metadata, "model") ?? throw Bad("model", "missing");
        string[] tokens = Strings(metadata, "tokens") ?? throw Bad("tokens", "missing");
        if (tokens.Length == 0) throw Bad("tokens", "empty");
        int[] types = Ints(metadata, "token_type") ?? Enumerable.Repeat((int)PieceType.Normal, tokens.Length).ToArray();
        if (types.Length != tokens.Length) throw Bad("token_type", $"{types.Length} entries for {tokens.Length} tokens");
        int bos = Id(metadata, "bos_token_id", tokens.Length), eos = Id(metadata, "eos_token_id", tokens.Length);
        return model switch
        {
            "gpt2" => Gpt2(metadata, tokens, types, bos, eos),
            "llama" => Llama(metadata, tokens, types, bos, eos),
            _ => throw Bad("model", $"'{model}' is not supported (gpt2, llama)"),
        };
    }

    /// <summary>
    /// llama.cpp's pre-tokenizer names (<c>llama-vocab.cpp</c>): the Llama-3 family (also Falcon3) uses the Llama-3 pattern
    /// and ignore_merges; the GPT-2 family uses the GPT-2 pattern.
    /// </summary>
    public static (string[] Patterns, bool IgnoreMerges) PreTokenizerFor(string pre) => pre switch
    {
        "llama3" or "llama-v3" or "llama-bpe" or "falcon3" or "falcon-h1" or "pixtral" or "dbrx" or "smaug-bpe" => ([PreTokenizer.Llama3Pattern], true),
        "gpt-2" or "gpt2" or "mpt" or "olmo" or "jais" => ([PreTokenizer.Gpt2Pattern], false),
        _ => throw Bad("pre", $"pre-tokenizer '{pre}' is not supported (llama-bpe, llama3, falcon3, gpt-2, ...)"),
    };

    private static ByteLevelBpeTokenizer Gpt2(IReadOnlyDictionary<string, object> md, string[] tokens, int[] types, int bos, int eos)
    {
        string[] mergeLines = Strings(md, "merges") ?? throw Bad("merges", "missing (required for gpt2 vocabularies)");
        var merges = new List<(string, string)>(mergeLines.Length);
        for (int i = 0; i < mergeLines.Length; i++)
        {
            string s = mergeLines[i];
            int space = s.IndexOf(' ', 1);
            if (space <= 0 || space == s.Length - 1) throw Bad("merges", $"entry {i} '{s}' is not two tokens separated by a space");
            merges.Add((s[..space], s[(space + 1)..]));
        }
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        var specials = new List<SpecialToken>();
        for (int id = 0; id < tokens.Length; id++)
        {
            vocab.TryAdd(tokens[id], id);
            // llama.cpp's special-token cache: CONTROL, USER_DEFINED and UNKNOWN tokens are matched verbatim.
            if (tokens[id].Length > 0 && types[id] is (int)PieceType.Control or (int)PieceType.UserDefined or (int)PieceType.Unknown)
                specials.Add(new SpecialToken(id, tokens[id], Control: types[id] != (int)PieceType.UserDefined));
        }
        (string[] patterns, bool ignore) = PreTokenizerFor(String(md, "pre") ?? "gpt-2");
        return new ByteLevelBpeTokenizer(vocab, merges, specials, new PreTokenizer(patterns), ignore, bos, eos, tokens.Length);
    }

    private static SentencePieceTokenizerAdapter Llama(IReadOnlyDictionary<string, object> md, string[] tokens, int[] types, int bos, int eos)
    {
        float[] scores = Floats(md, "scores") ?? new float[tokens.Length];
        if (scores.Length != tokens.Length) throw Bad("scores", $"{scores.Length} entries for {tokens.Length} tokens");
        var pieces = new Piece[tokens.Length];
        for (int i = 0; i < tokens.Length; i++)
        {
            int t = types[i];
            if (t < 1 || t > 6) throw Bad("token_type", $"entry {i} = {t} is not a token type 1..6");
            pieces[i] = new Piece(tokens[i], scores[i], (PieceType)t);
        }
        int unk = Id(md, "unknown_token_id", tokens.Length);
        bool addSpace = !md.TryGetValue(Prefix + "add_space_prefix", out object? asp) || asp is not bool b || b;
        byte[] proto = SentencePieceModelProto.Write(pieces, Math.Max(unk, 0), bos, eos, addSpace, byteFallback: types.Contains((int)PieceType.Byte));
        // Control and user-defined pieces are split out of the text first, as llama.cpp does with special parsing on.
        var specials = new List<SpecialToken>();
        for (int i = 0; i < tokens.Length; i++)
            if (tokens[i].Length > 0 && types[i] is (int)PieceType.Control or (int)PieceType.UserDefined or (int)PieceType.Unknown)
                specials.Add(new SpecialToken(i, tokens[i], Control: types[i] != (int)PieceType.UserDefined));
        return SentencePieceTokenizerAdapter.Load(new MemoryStream(proto), "GGUF tokenizer.ggml.tokens", tokens.Length, specials);
    }

    private static InvalidDataException Bad(string key, string what) => new($"GGUF metadata {Prefix}{key}: {what}");

    private static string? String(IReadOnlyDictionary<string, object> md, string key) =>
        !md.TryGetValue(Prefix + key, out object? v) ? null : v as string ?? throw Bad(key, $"expected a string, found {v?.GetType().Name}");

    private static int Id(IReadOnlyDictionary<string, object> md, string key, int count)
    {
        if (!md.TryGetValue(Prefix + key, out object? v)) return -1;
        long id = Number(v) ?? throw Bad(key, $"expected an integer, found {v?.GetType().Name}");
        if (id < 0 || id >= count) throw Bad(key, $"{id} is outside the {count} tokens");
        return (int)id;
    }

    private static IEnumerable<object?>? Items(IReadOnlyDictionary<string, object> md, string key)
    {
        if (!md.TryGetValue(Prefix + key, out object? v)) return null;
        if (v is System.Collections.IEnumerable e and not string) return e.Cast<object?>();
        throw Bad(key, $"expected an array, found {v?.GetType().Name}");
    }

    private static string[]? Strings(IReadOnlyDictionary<string, object> md, string key) =>
        Items(md, key)?.Select((x, i) => x as string ?? throw Bad(key, $"entry {i} is not a string")).ToArray();

    private static int[]? Ints(IReadOnlyDictionary<string, object> md, string key) =>
        Items(md, key)?.Select((x, i) => Number(x) is long n and >= int.MinValue and <= int.MaxValue ? (int)n : throw Bad(key, $"entry {i} is not an integer")).ToArray();

    private static float[]? Floats(IReadOnlyDictionary<string, object> md, string key) =>
        Items(md, key)?.Select((x, i) => x switch
        {
            float f => f,
            double d => (float)d,
            _ => Number(x) is long n ? n : throw Bad(key, $"entry {i} is not a number"),
        }).ToArray();

    private static long? Number(object? v) => v switch
    {
        sbyte x => x, byte x => x, short x => x, ushort x => x, int x => x, uint x => x, long x => x,
        ulong x when x <= long.MaxValue => (long)x,
        _ => null,
    };
}
