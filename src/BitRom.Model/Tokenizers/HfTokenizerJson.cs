using System.Text.Json;
using BitRom.Model.Formats;

namespace BitRom.Model.Tokenizers;

/// <summary>
/// Reads an HF <c>tokenizer.json</c> (huggingface/tokenizers serialization) whose model is byte-level BPE:
/// <c>model.vocab</c>, <c>model.merges</c> as <c>"a b"</c> strings or <c>["a", "b"]</c> pairs, <c>model.ignore_merges</c>,
/// <c>added_tokens</c>, and a pre_tokenizer made of <c>Split</c> (regex, Isolated), <c>Digits</c> and <c>ByteLevel</c>
/// steps (optionally in a <c>Sequence</c>). Anything else is rejected with the name of the unsupported part.
/// </summary>
public static class HfTokenizerJson
{
    /// <summary>Largest tokenizer.json accepted (Llama-3's is ~9 MB).</summary>
    public const long MaxBytes = 64L << 20;

    /// <summary>Parses the file bytes. <paramref name="bos"/>/<paramref name="eos"/> come from the model config (−1: none).</summary>
    public static ByteLevelBpeTokenizer Parse(ReadOnlySpan<byte> json, string fileName, int bos = -1, int eos = -1, int vocabSize = 0)
    {
        if (json.Length > MaxBytes) throw new InvalidDataException($"{fileName}: {json.Length} bytes exceeds the limit of {MaxBytes}");
        return UntrustedJson.Read(json, fileName, 64, root =>
        {
            if (root.ValueKind != JsonValueKind.Object) throw Bad(fileName, "root", "not an object");
            JsonElement model = Obj(root, "model", fileName);
            string type = Str(model, "type", fileName, "model.type");
            if (type != "BPE") throw Bad(fileName, "model.type", $"'{type}' is not supported (byte-level BPE only; SentencePiece models load from tokenizer.model)");
            if (model.TryGetProperty("byte_fallback", out JsonElement bf) && bf.ValueKind == JsonValueKind.True)
                throw Bad(fileName, "model.byte_fallback", "true means a SentencePiece-style BPE, which is not byte-level");
            foreach (string affix in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
                if (model.TryGetProperty(affix, out JsonElement a) && a.ValueKind == JsonValueKind.String && a.GetString()!.Length > 0)
                    throw Bad(fileName, "model." + affix, "word affixes are not supported by the byte-level tokenizer");

            var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (JsonProperty p in Obj(model, "vocab", fileName).EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt32(out int id) || id < 0 || id >= MaxVocab)
                    throw Bad(fileName, $"model.vocab['{p.Name}']", $"id {p.Value} is not an integer in [0, {MaxVocab})");
                vocab[p.Name] = id;
            }
            var merges = new List<(string, string)>();
            if (!model.TryGetProperty("merges", out JsonElement ms) || ms.ValueKind != JsonValueKind.Array) throw Bad(fileName, "model.merges", "missing or not a list");
            int mi = 0;
            foreach (JsonElement m in ms.EnumerateArray())
            {
                merges.Add(Merge(m, fileName, mi++));
            }
            bool ignoreMerges = model.TryGetProperty("ignore_merges", out JsonElement im) && im.ValueKind == JsonValueKind.True;

            var specials = new List<SpecialToken>();
            if (root.TryGetProperty("added_tokens", out JsonElement added) && added.ValueKind != JsonValueKind.Null)
            {
                if (added.ValueKind != JsonValueKind.Array) throw Bad(fileName, "added_tokens", "not a list");
                int i = 0;
                foreach (JsonElement a in added.EnumerateArray())
                {
                    string where = $"added_tokens[{i++}]";
                    if (a.ValueKind != JsonValueKind.Object) throw Bad(fileName, where, "not an object");
                    if (!a.TryGetProperty("id", out JsonElement idEl) || !idEl.TryGetInt32Checked(out int id) || id < 0 || id >= MaxVocab)
                        throw Bad(fileName, where + ".id", "missing or out of range");
                    string content = Str(a, "content", fileName, where + ".content");
                    if (content.Length == 0) throw Bad(fileName, where + ".content", "empty");
                    specials.Add(new SpecialToken(id, content, Flag(a, "special"), Flag(a, "lstrip"), Flag(a, "rstrip")));
                }
            }
            if (root.TryGetProperty("normalizer", out JsonElement norm) && norm.ValueKind != JsonValueKind.Null)
                throw Bad(fileName, "normalizer", $"'{TypeOf(norm)}' is not supported by the byte-level tokenizer");
            var patterns = new List<string>();
            int byteLevelAt = -1;
            if (root.TryGetProperty("pre_tokenizer", out JsonElement pre) && pre.ValueKind != JsonValueKind.Null)
                ReadPreTokenizer(pre, patterns, ref byteLevelAt, fileName, "pre_tokenizer", 0);
            if (byteLevelAt < 0) throw Bad(fileName, "pre_tokenizer", "has no ByteLevel step: not a byte-level BPE");
            return new ByteLevelBpeTokenizer(vocab, merges, specials, new PreTokenizer(patterns, byteLevelAt), ignoreMerges, bos, eos, vocabSize);
        });
    }

    /// <summary>Ids above this are rejected (the largest real vocabularies have ~260k entries).</summary>
    public const int MaxVocab = 1 << 24;

    private static (string, string) Merge(JsonElement m, string fileName, int index)
    {
        string where = $"model.merges[{index}]";
        if (m.ValueKind == JsonValueKind.String)
        {
            string s = m.GetString()!;
            int space = s.IndexOf(' ');
            if (space <= 0 || space == s.Length - 1 || s.IndexOf(' ', space + 1) >= 0) throw Bad(fileName, where, $"'{s}' is not two tokens separated by one space");
            return (s[..space], s[(space + 1)..]);
        }
        if (m.ValueKind == JsonValueKind.Array && m.GetArrayLength() == 2 && m[0].ValueKind == JsonValueKind.String && m[1].ValueKind == JsonValueKind.String)
            return (m[0].GetString()!, m[1].GetString()!);
        throw Bad(fileName, where, "neither \"a b\" nor [\"a\", \"b\"]");
    }

    /// <summary>
    /// Appends the split patterns of a pre-tokenizer; <paramref name="byteLevelAt"/> becomes the index of the first
    /// pattern that runs on byte-mapped text (steps after ByteLevel see its alphabet, as in HF).
    /// </summary>
    private static void ReadPreTokenizer(JsonElement e, List<string> patterns, ref int byteLevelAt, string fileName, string where, int depth)
    {
        if (e.ValueKind != JsonValueKind.Object) throw Bad(fileName, where, "not an object");
        string type = TypeOf(e);
        switch (type)
        {
            case "Sequence":
                if (depth > 4) throw Bad(fileName, where, "Sequence nested too deeply");
                if (!e.TryGetProperty("pretokenizers", out JsonElement list) || list.ValueKind != JsonValueKind.Array) throw Bad(fileName, where + ".pretokenizers", "missing or not a list");
                int i = 0;
                foreach (JsonElement p in list.EnumerateArray()) ReadPreTokenizer(p, patterns, ref byteLevelAt, fileName, $"{where}.pretokenizers[{i++}]", depth + 1);
                break;
            case "Split":
                if (Flag(e, "invert")) throw Bad(fileName, where + ".invert", "true is not supported");
                string behavior = e.TryGetProperty("behavior", out JsonElement b) && b.ValueKind == JsonValueKind.String ? b.GetString()! : "";
                if (behavior != "Isolated") throw Bad(fileName, where + ".behavior", $"'{behavior}' is not supported (Isolated only)");
                JsonElement pattern = Obj(e, "pattern", fileName);
                if (pattern.TryGetProperty("Regex", out JsonElement rx) && rx.ValueKind == JsonValueKind.String) patterns.Add(rx.GetString()!);
                else if (pattern.TryGetProperty("String", out JsonElement lit) && lit.ValueKind == JsonValueKind.String && lit.GetString()!.Length > 0)
                    patterns.Add(System.Text.RegularExpressions.Regex.Escape(lit.GetString()!));
                else throw Bad(fileName, where + ".pattern", "neither a Regex nor a non-empty String");
                break;
            case "Digits":
                patterns.Add(Flag(e, "individual_digits") ? @"\p{N}" : @"\p{N}+");
                break;
            case "Punctuation":
                string pb = e.TryGetProperty("behavior", out JsonElement pbe) && pbe.ValueKind == JsonValueKind.String ? pbe.GetString()! : "Isolated";
                patterns.Add(pb switch
                {
                    "Isolated" => PreTokenizer.PunctuationIsolatedPattern,
                    "Contiguous" => PreTokenizer.PunctuationContiguousPattern,
                    _ => throw Bad(fileName, where + ".behavior", $"'{pb}' is not supported (Isolated, Contiguous)"),
                });
                break;
            case "ByteLevel":
                if (Flag(e, "add_prefix_space")) throw Bad(fileName, where + ".add_prefix_space", "true is not supported");
                // use_regex defaults to true: the GPT-2 pattern splits before the byte mapping.
                if (!e.TryGetProperty("use_regex", out JsonElement ur) || ur.ValueKind != JsonValueKind.False) patterns.Add(PreTokenizer.Gpt2Pattern);
                if (byteLevelAt >= 0) throw Bad(fileName, where, "a second ByteLevel step");
                byteLevelAt = patterns.Count;
                break;
            default:
                throw Bad(fileName, where, $"pre-tokenizer type '{type}' is not supported (Sequence, Split, Digits, Punctuation, ByteLevel)");
        }
    }

    private static string TypeOf(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("type", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "(untyped)";

    private static bool Flag(JsonElement e, string name) => e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.True;

    private static bool TryGetInt32Checked(this JsonElement e, out int v)
    {
        v = 0;
        return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out v);
    }

    private static JsonElement Obj(JsonElement e, string name, string fileName) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Object ? v : throw Bad(fileName, name, "missing or not an object");

    private static string Str(JsonElement e, string name, string fileName, string where) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Bad(fileName, where, "missing or not a string");

    private static InvalidDataException Bad(string fileName, string field, string what) => new($"{fileName}: {field}: {what}");
}
