using BitRom.Model.Architectures;
using BitRom.Model.Tokenizers;

namespace BitRom.Model.Formats.Gguf;

/// <summary>
/// The <c>tokenizer.ggml.*</c> metadata of a GGUF file as plain data (FORMATS.md §3.1), so trainers and converters
/// can fill it without a tokenizer object. <see cref="Model"/> is <c>gpt2</c> (byte-level BPE: tokens in GPT-2
/// byte-to-unicode form, merges "a b") or <c>llama</c> (SentencePiece: tokens with ▁, scores).
/// </summary>
/// <param name="Model"><c>tokenizer.ggml.model</c>.</param>
/// <param name="Tokens"><c>tokenizer.ggml.tokens</c>, one per id.</param>
/// <param name="TokenTypes"><c>tokenizer.ggml.token_type</c>: 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte.</param>
public sealed record GgufTokenizerData(string Model, string[] Tokens, int[] TokenTypes)
{
    /// <summary><c>tokenizer.ggml.merges</c> ("left right" per rank); required by llama.cpp for gpt2 vocabularies.</summary>
    public string[] Merges { get; init; } = [];
    /// <summary><c>tokenizer.ggml.scores</c> (SentencePiece), or null.</summary>
    public float[]? Scores { get; init; }
    /// <summary><c>tokenizer.ggml.pre</c> (pre-tokenizer name, e.g. <c>llama-bpe</c>), or null for llama.cpp's default.</summary>
    public string? Pre { get; init; }
    /// <summary><c>tokenizer.ggml.bos_token_id</c>, or −1.</summary>
    public int BosId { get; init; } = -1;
    /// <summary><c>tokenizer.ggml.eos_token_id</c>, or −1.</summary>
    public int EosId { get; init; } = -1;
    /// <summary><c>tokenizer.ggml.add_bos_token</c>, or null to leave unset.</summary>
    public bool? AddBos { get; init; }
    /// <summary><c>tokenizer.chat_template</c> (Jinja), or null.</summary>
    public string? ChatTemplate { get; init; }

    /// <summary>Checks lengths and ids against each other; throws naming the field.</summary>
    public GgufTokenizerData Validate()
    {
        if (Tokens.Length == 0) throw new ArgumentException("GGUF vocabulary has no tokens");
        if (TokenTypes.Length != Tokens.Length) throw new ArgumentException($"GGUF vocabulary: {TokenTypes.Length} token types for {Tokens.Length} tokens");
        if (Scores is not null && Scores.Length != Tokens.Length) throw new ArgumentException($"GGUF vocabulary: {Scores.Length} scores for {Tokens.Length} tokens");
        if (BosId >= Tokens.Length || EosId >= Tokens.Length) throw new ArgumentException($"GGUF vocabulary: BOS {BosId} / EOS {EosId} outside {Tokens.Length} tokens");
        return this;
    }

    /// <summary>Writes the keys to <paramref name="w"/>.</summary>
    public void WriteTo(GgufWriter w)
    {
        Validate();
        w.Add("tokenizer.ggml.model", Model);
        if (Pre is not null) w.Add("tokenizer.ggml.pre", Pre);
        w.Add("tokenizer.ggml.tokens", Tokens);
        w.Add("tokenizer.ggml.token_type", TokenTypes);
        if (Merges.Length > 0 || Model == "gpt2") w.Add("tokenizer.ggml.merges", Merges);
        if (Scores is not null) w.Add("tokenizer.ggml.scores", Scores);
        if (BosId >= 0) w.Add("tokenizer.ggml.bos_token_id", (uint)BosId);
        if (EosId >= 0) w.Add("tokenizer.ggml.eos_token_id", (uint)EosId);
        if (AddBos is bool add) w.Add("tokenizer.ggml.add_bos_token", add);
        if (ChatTemplate is not null) w.Add("tokenizer.chat_template", ChatTemplate);
    }

    /// <summary>Reads the keys back from GGUF metadata; null when the file has no <c>tokenizer.ggml.tokens</c>.</summary>
    public static GgufTokenizerData? FromMetadata(IReadOnlyDictionary<string, object> m, string file)
    {
        string[]? tokens = m.GetArray<string>("tokenizer.ggml.tokens", file);
        if (tokens is null) return null;
        int[] types = m.TryGetValue("tokenizer.ggml.token_type", out object? tt) && tt is Array a
            ? a.Cast<object>().Select(x => (int)(GgufMetadata.AsInt64(x) ?? 1)).ToArray()
            : Enumerable.Repeat(1, tokens.Length).ToArray();
        return new GgufTokenizerData(m.GetString("tokenizer.ggml.model", file) ?? "gpt2", tokens, types)
        {
            Merges = m.GetArray<string>("tokenizer.ggml.merges", file) ?? [],
            Scores = m.GetArray<float>("tokenizer.ggml.scores", file),
            Pre = m.GetString("tokenizer.ggml.pre", file),
            BosId = (int)(m.GetInt64("tokenizer.ggml.bos_token_id", file) ?? -1),
            EosId = (int)(m.GetInt64("tokenizer.ggml.eos_token_id", file) ?? -1),
            AddBos = m.TryGetValue("tokenizer.ggml.add_bos_token", out object? ab) && ab is bool b ? b : null,
            ChatTemplate = m.GetString("tokenizer.chat_template", file),
        };
    }

    /// <summary>
    /// The GGUF form of a byte-level BPE tokenizer (an HF folder's tokenizer.json): tokens by id, merges, specials as
    /// control (3) or user-defined (4) tokens, unused ids as <c>[PAD{id}]</c> of type unused (5) as convert_hf_to_gguf
    /// does. <c>pre</c>: <c>falcon3</c> for the Falcon3 family, else <c>llama-bpe</c> when merges are ignored (Llama-3
    /// vocabularies such as 2B4T's) and <c>gpt-2</c> otherwise. Null for other tokenizers (SentencePiece export is not built).
    /// </summary>
    public static GgufTokenizerData? FromTokenizer(ITokenizer tokenizer, ModelConfig config, string? chatTemplate = null)
    {
        if (tokenizer is not ByteLevelBpeTokenizer bpe) return null;
        int n = Math.Max(bpe.VocabSize, config.VocabSize);
        var tokens = new string[n];
        var types = new int[n];
        var specials = bpe.Specials.ToDictionary(s => s.Id);
        for (int id = 0; id < n; id++)
        {
            string? text = id < bpe.VocabSize ? bpe.TokenText(id) : null;
            tokens[id] = text ?? $"[PAD{id}]";
            types[id] = text is null ? 5 : specials.TryGetValue(id, out SpecialToken? s) ? (s.Control ? 3 : 4) : 1;
        }
        string pre = config.Family == ModelFamily.Falcon3 ? "falcon3" : bpe.IgnoreMerges ? "llama-bpe" : "gpt-2";
        return new GgufTokenizerData("gpt2", tokens, types)
        {
            Merges = [.. bpe.MergeLines()], Pre = pre, BosId = bpe.BosToken, EosId = bpe.EosToken, ChatTemplate = chatTemplate,
        };
    }
}
