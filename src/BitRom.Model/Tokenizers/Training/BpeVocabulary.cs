namespace BitRom.Model.Tokenizers.Training;

/// <summary>
/// A byte-level BPE vocabulary as GPT-2 / HF tokenizers / GGUF (<c>tokenizer.ggml.model = "gpt2"</c>) store it:
/// token strings in the byte-level alphabet of <see cref="ByteLevel"/>, the ordered merge list, and special tokens.
/// Layout made by <see cref="BpeTrainer"/>: ids 0..255 are the single bytes in byte order, then one id per merge
/// in merge order, then the specials.
/// </summary>
public sealed record BpeVocabulary
{
    /// <summary>GGUF token type of an ordinary token (llama.cpp <c>LLAMA_TOKEN_TYPE_NORMAL</c>).</summary>
    public const int TypeNormal = 1;

    /// <summary>GGUF token type of a special token (llama.cpp <c>LLAMA_TOKEN_TYPE_CONTROL</c>).</summary>
    public const int TypeControl = 3;

    /// <summary>Default beginning-of-text special (Llama 3 spelling).</summary>
    public const string DefaultBos = "<|begin_of_text|>";

    /// <summary>Default end-of-text special (Llama 3 spelling).</summary>
    public const string DefaultEos = "<|end_of_text|>";

    /// <summary>Token strings by id (byte-level symbols; specials verbatim).</summary>
    public required IReadOnlyList<string> Tokens { get; init; }

    /// <summary>Merges in priority order: (left, right) token strings.</summary>
    public required IReadOnlyList<(string Left, string Right)> Merges { get; init; }

    /// <summary>Ids of special (control) tokens.</summary>
    public required IReadOnlySet<int> Specials { get; init; }

    /// <summary>Beginning-of-sequence id, or −1.</summary>
    public int Bos { get; init; } = -1;

    /// <summary>End-of-sequence id, or −1.</summary>
    public int Eos { get; init; } = -1;

    /// <summary>Vocabulary size.</summary>
    public int Count => Tokens.Count;

    /// <summary>GGUF token types by id (<see cref="TypeNormal"/> or <see cref="TypeControl"/>).</summary>
    public int[] TokenTypes() => Enumerable.Range(0, Tokens.Count).Select(i => Specials.Contains(i) ? TypeControl : TypeNormal).ToArray();

    /// <summary>Merges as GGUF / tokenizer.json strings: "left right".</summary>
    public string[] MergeStrings() => Merges.Select(m => m.Left + " " + m.Right).ToArray();
}
