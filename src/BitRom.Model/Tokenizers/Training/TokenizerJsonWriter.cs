using System.Text.Json;

namespace BitRom.Model.Tokenizers.Training;

/// <summary>
/// Writes a <see cref="BpeVocabulary"/> as a Hugging Face <c>tokenizer.json</c> (tokenizers 0.x serialization:
/// ByteLevel pre-tokenizer with the GPT-2 pattern and no prefix space, BPE model with "left right" merges,
/// ByteLevel decoder, specials in <c>added_tokens</c>).
/// </summary>
public static class TokenizerJsonWriter
{
    /// <summary>Writes the JSON to <paramref name="path"/>.</summary>
    public static void Write(string path, BpeVocabulary vocab)
    {
        using var stream = File.Create(path);
        Write(stream, vocab);
    }

    /// <summary>Writes the JSON to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, BpeVocabulary vocab)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("version", "1.0");
        w.WriteNull("truncation");
        w.WriteNull("padding");

        w.WriteStartArray("added_tokens");
        foreach (int id in vocab.Specials.Order())
        {
            w.WriteStartObject();
            w.WriteNumber("id", id);
            w.WriteString("content", vocab.Tokens[id]);
            w.WriteBoolean("single_word", false);
            w.WriteBoolean("lstrip", false);
            w.WriteBoolean("rstrip", false);
            w.WriteBoolean("normalized", false);
            w.WriteBoolean("special", true);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteNull("normalizer");
        w.WritePropertyName("pre_tokenizer");
        ByteLevelSection(w);
        w.WriteNull("post_processor");
        w.WritePropertyName("decoder");
        ByteLevelSection(w);

        w.WriteStartObject("model");
        w.WriteString("type", "BPE");
        w.WriteNull("dropout");
        w.WriteNull("unk_token");
        w.WriteNull("continuing_subword_prefix");
        w.WriteNull("end_of_word_suffix");
        w.WriteBoolean("fuse_unk", false);
        w.WriteBoolean("byte_fallback", false);
        w.WriteBoolean("ignore_merges", false);
        w.WriteStartObject("vocab");
        for (int i = 0; i < vocab.Count; i++) w.WriteNumber(vocab.Tokens[i], i);
        w.WriteEndObject();
        w.WriteStartArray("merges");
        foreach (string m in vocab.MergeStrings()) w.WriteStringValue(m);
        w.WriteEndArray();
        w.WriteEndObject();

        w.WriteEndObject();
    }

    private static void ByteLevelSection(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type", "ByteLevel");
        w.WriteBoolean("add_prefix_space", false);
        w.WriteBoolean("trim_offsets", true);
        w.WriteBoolean("use_regex", true);
        w.WriteEndObject();
    }
}
