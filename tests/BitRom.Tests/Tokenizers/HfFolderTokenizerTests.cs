using BitRom.Model.Architectures;
using BitRom.Model.Formats;
using BitRom.Model.Formats.Hf;
using BitRom.Model.Synthetic;
using BitRom.Model.Tokenizers;
using BitRom.Tests.Formats.Hf;
using Xunit;

namespace BitRom.Tests.Tokenizers;

public class HfFolderTokenizerTests
{
    [Fact]
    public void Load_FolderWithTokenizerJsonAndChatTemplate_ExposesBoth()
    {
        using var dir = new TempDir();
        ModelConfig c = Presets.Tiny with { BosToken = TinyVocab.BeginOfText, EosToken = TinyVocab.EotId };
        HfModelWriter.Write(dir, c, SyntheticModel.Create(c, seed: 2), HfLayout.BitNet2B4T);
        File.WriteAllText(Path.Combine(dir, "tokenizer.json"), HfTokenizerJsonTests.Json(mergesAsPairs: true));
        File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"),
            """{"bos_token":"<|begin_of_text|>","chat_template":"{% for message in messages %}<|start_header_id|>{{ message['role'] }}<|end_header_id|>\n\n{{ message['content'] }}<|eot_id|>{% endfor %}"}""");

        using LoadedModel m = HfModelLoader.Load(dir);
        Assert.IsType<ByteLevelBpeTokenizer>(m.Tokenizer);
        Assert.Equal(c.VocabSize, m.Tokenizer!.VocabSize);
        Assert.Equal([TinyVocab.BeginOfText, 262, 258], m.Tokenizer.Encode("hello the", addBos: true));
        ChatTemplate t = ChatTemplate.Detect((string)m.Metadata["tokenizer.chat_template"])!;
        Assert.Equal(ChatFormat.Llama3, t.Format);
    }

    [Fact]
    public void Load_OneBitLlmFolderWithTokenizerModel_UsesSentencePiece()
    {
        using var dir = new TempDir();
        ModelConfig c = Presets.TinyOneBit with { BosToken = 1, EosToken = 2 };
        HfModelWriter.Write(dir, c, SyntheticModel.Create(c, seed: 2), HfLayout.OneBitLlm);
        File.WriteAllBytes(Path.Combine(dir, "tokenizer.model"), SentencePieceModelProto.Write(SentencePieceTests.Pieces(), 0, 1, 2, addDummyPrefix: true, byteFallback: true));
        // 1bitLLM adds <pad> and </line> after the Llama-2 pieces (FORMATS.md §2.3); here after the test pieces.
        int pad = SentencePieceTests.Pieces().Count;
        File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"),
            "{\"added_tokens_decoder\":{\"" + pad + "\":{\"content\":\"<pad>\",\"special\":true},\"" + (pad + 1) + "\":{\"content\":\"</line>\",\"special\":false}}}");

        using LoadedModel m = HfModelLoader.Load(dir);
        Assert.IsType<SentencePieceTokenizerAdapter>(m.Tokenizer);
        IReadOnlyList<int> ids = m.Tokenizer!.Encode("hello", addBos: true);
        Assert.Equal(1, ids[0]);
        Assert.Equal("hello", m.Tokenizer.Decode(ids));
        Assert.Equal(" hello", System.Text.Encoding.UTF8.GetString(ids.Skip(1).SelectMany(m.Tokenizer.TokenBytes).ToArray()));
        Assert.False(m.Metadata.ContainsKey("tokenizer.chat_template"));
        IReadOnlyList<int> added = m.Tokenizer.Encode("hello</line><pad>", addBos: false);
        Assert.Equal([pad + 1, pad], added.TakeLast(2));
        Assert.Equal("</line>", System.Text.Encoding.UTF8.GetString(m.Tokenizer.TokenBytes(pad + 1)));
        Assert.Empty(m.Tokenizer.TokenBytes(pad));
    }
}
