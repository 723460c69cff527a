using System.Text.Json;
using BitRom.Model.Architectures;
using BitRom.Model.Tokenizers;

namespace BitRom.Model.Formats.Hf;

/// <summary>
/// Finds the tokenizer of an HF folder: <c>tokenizer.json</c> when it is a byte-level BPE (2B4T's Llama-3 vocabulary,
/// Falcon3), else <c>tokenizer.model</c> (SentencePiece; 1bitLLM's Llama-2 vocabulary); and the chat template of
/// <c>tokenizer_config.json</c>.
/// </summary>
public static class HfTokenizerFiles
{
    /// <summary>Largest tokenizer_config.json / tokenizer.model accepted.</summary>
    public const long MaxSideFileBytes = 64L << 20;

    /// <summary>The folder's tokenizer, or null when it has no tokenizer file.</summary>
    public static ITokenizer? TryLoad(string directory, ModelConfig config)
    {
        string json = Path.Combine(directory, "tokenizer.json");
        string model = Path.Combine(directory, "tokenizer.model");
        if (File.Exists(json) && (!File.Exists(model) || IsByteLevelBpe(json)))
            return HfTokenizerJson.Parse(Read(json, HfTokenizerJson.MaxBytes), json, config.BosToken, config.EosToken, config.VocabSize);
        if (File.Exists(model))
        {
            using var s = new MemoryStream(Read(model, MaxSideFileBytes));
            return SentencePieceTokenizerAdapter.Load(s, model, config.VocabSize, ReadAddedTokens(directory));
        }
        return null;
    }

    /// <summary><c>chat_template</c> of tokenizer_config.json (a string, or the "default" entry of a list), or null.</summary>
    public static string? ReadChatTemplate(string directory)
    {
        string path = Path.Combine(directory, "tokenizer_config.json");
        if (!File.Exists(path)) return null;
        return UntrustedJson.Read(Read(path, MaxSideFileBytes), path, 64, root =>
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("chat_template", out JsonElement t)) return null;
            if (t.ValueKind == JsonValueKind.String) return t.GetString();
            if (t.ValueKind == JsonValueKind.Array)
                foreach (JsonElement e in t.EnumerateArray())
                    if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("name", out JsonElement n) && n.ValueKind == JsonValueKind.String
                        && n.GetString() == "default" && e.TryGetProperty("template", out JsonElement tt) && tt.ValueKind == JsonValueKind.String)
                        return tt.GetString();
            return (string?)null;
        });
    }

    /// <summary>
    /// <c>added_tokens_decoder</c> of tokenizer_config.json (<c>{"32000": {"content": "&lt;pad&gt;", "special": true, ...}}</c>):
    /// tokens matched verbatim in text before SentencePiece runs; empty when absent.
    /// </summary>
    public static IReadOnlyList<SpecialToken> ReadAddedTokens(string directory)
    {
        string path = Path.Combine(directory, "tokenizer_config.json");
        if (!File.Exists(path)) return [];
        return UntrustedJson.Read<IReadOnlyList<SpecialToken>>(Read(path, MaxSideFileBytes), path, 64, root =>
        {
            var list = new List<SpecialToken>();
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("added_tokens_decoder", out JsonElement d) || d.ValueKind != JsonValueKind.Object)
                return list;
            foreach (JsonProperty p in d.EnumerateObject())
            {
                if (!int.TryParse(p.Name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int id)
                    || p.Value.ValueKind != JsonValueKind.Object
                    || !p.Value.TryGetProperty("content", out JsonElement c) || c.ValueKind != JsonValueKind.String || c.GetString()!.Length == 0)
                    throw new InvalidDataException($"{path}: added_tokens_decoder['{p.Name}'] is not an id with a non-empty content");
                bool Flag(string n) => p.Value.TryGetProperty(n, out JsonElement f) && f.ValueKind == JsonValueKind.True;
                list.Add(new SpecialToken(id, c.GetString()!, Flag("special"), Flag("lstrip"), Flag("rstrip")));
            }
            return list;
        });
    }

    private static bool IsByteLevelBpe(string path)
    {
        // A look at the model section: SentencePiece-converted tokenizer.json files set byte_fallback.
        return UntrustedJson.Read(Read(path, HfTokenizerJson.MaxBytes), path, 64, root =>
            root.ValueKind == JsonValueKind.Object
            && root.TryGetProperty("model", out JsonElement m) && m.ValueKind == JsonValueKind.Object
            && m.TryGetProperty("type", out JsonElement t) && t.ValueKind == JsonValueKind.String && t.GetString() == "BPE"
            && !(m.TryGetProperty("byte_fallback", out JsonElement bf) && bf.ValueKind == JsonValueKind.True));
    }

    private static byte[] Read(string path, long limit)
    {
        long length = new FileInfo(path).Length;
        if (length > limit) throw new InvalidDataException($"{path}: {length} bytes exceeds the limit of {limit}");
        return File.ReadAllBytes(path);
    }
}
