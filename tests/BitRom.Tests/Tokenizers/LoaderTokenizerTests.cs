using BitRom.Model.Architectures;
using BitRom.Model.Formats;
using BitRom.Model.Formats.Gguf;
using BitRom.Model.Formats.Hf;
using BitRom.Model.Synthetic;
using BitRom.Model.Tokenizers;
using BitRom.Numerics.Quant;
using BitRom.Tests.Formats.Hf;
using Xunit;

namespace BitRom.Tests.Tokenizers;

/// <summary>The loaders attach the right tokenizer: GGUF vocabularies through <see cref="GgufVocab"/>, folders through the HF loader.</summary>
public class LoaderTokenizerTests
{
    private static readonly ModelConfig Shape = Presets.Tiny with { VocabSize = TinyVocab.EotId + 1, BosToken = TinyVocab.BeginOfText, EosToken = TinyVocab.EotId };

    [Fact]
    public void ModelLoader_GgufWithGpt2Vocab_GivesTheByteLevelTokenizer()
    {
        using var dir = new TempDir();
        var (tokens, types, merges) = TinyVocab.Gguf();
        var vocab = new GgufTokenizerData("gpt2", tokens, types) { Merges = merges, Pre = "llama-bpe", BosId = TinyVocab.BeginOfText, EosId = TinyVocab.EotId };
        string path = Path.Combine(dir, "m.gguf");
        GgufModelWriter.Write(path, Shape, SyntheticModel.Create(Shape, seed: 4), vocab, QuantType.F32);
        using LoadedModel m = ModelLoader.Load(path);
        Assert.IsType<ByteLevelBpeTokenizer>(m.Tokenizer);
        Assert.Equal([TinyVocab.BeginOfText, 262, 258, TinyVocab.EotId], m.Tokenizer!.Encode("hello the<|eot_id|>", addBos: true));
    }

    [Fact]
    public void ModelLoader_GgufWithUnsupportedPre_LoadsWithoutTokenizerAndSaysWhy()
    {
        using var dir = new TempDir();
        var (tokens, types, merges) = TinyVocab.Gguf();
        var vocab = new GgufTokenizerData("gpt2", tokens, types) { Merges = merges, Pre = "qwen2" };
        string path = Path.Combine(dir, "m.gguf");
        GgufModelWriter.Write(path, Shape, SyntheticModel.Create(Shape, seed: 4), vocab, QuantType.F32);
        var notes = new List<string>();
        using LoadedModel m = GgufModelReader.Load(path, notes);
        Assert.Null(m.Tokenizer);
        Assert.Contains(notes, n => n.Contains("qwen2"));
    }

    [Fact]
    public void ModelLoader_Folder_UsesTheHfLoader()
    {
        using var dir = new TempDir();
        HfModelWriter.Write(dir, Presets.TinyFalcon3, SyntheticModel.Create(Presets.TinyFalcon3, seed: 4), HfLayout.Falcon3);
        using LoadedModel m = ModelLoader.Load(dir);
        Assert.Equal(ModelFamily.Falcon3, m.Config.Family);
        Assert.Equal("bitlinear", m.Metadata["hf.linear_class"]);
    }
}
