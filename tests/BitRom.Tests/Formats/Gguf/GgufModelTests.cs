using BitRom.Model.Architectures;
using BitRom.Model.Formats;
using BitRom.Model.Formats.Gguf;
using BitRom.Model.Inference;
using BitRom.Model.Synthetic;
using BitRom.Numerics.Floats;
using BitRom.Numerics.Quant;
using BitRom.Numerics.Ternary;
using Xunit;

namespace BitRom.Tests.Formats.Gguf;

public class GgufModelTests
{
    /// <summary>Sub-norm test shape with TQ-compatible widths (ne0 multiples of 256).</summary>
    internal static readonly ModelConfig BitNetShape = Presets.Tiny with
    {
        Name = "gguf-bitnet", Dim = 256, Heads = 4, KvHeads = 2, HeadDim = 64, HiddenDim = 512, Layers = 2, VocabSize = 300,
        MaxSeqLen = 64, Family = ModelFamily.OneBitLlm, Activation = FfnActivation.Silu, SubNorms = true, TiedEmbeddings = true,
    };

    /// <summary>Falcon3-family test shape.</summary>
    internal static readonly ModelConfig LlamaShape = BitNetShape with
    {
        Name = "gguf-llama", Family = ModelFamily.Falcon3, SubNorms = false, TiedEmbeddings = false,
    };

    internal static LoadedModel RoundTrip(ModelConfig c, ModelWeights w, QuantType type, List<string>? notes = null)
    {
        byte[] bytes = GgufFileTests.ToBytes(GgufModelWriter.Build(c, w, null, type));
        return GgufModelReader.Map(GgufFile.Parse(bytes, $"{c.Name}.gguf"), notes);
    }

    [Theory]
    [InlineData(QuantType.TQ2_0)]
    [InlineData(QuantType.TQ1_0)]
    [InlineData(QuantType.I2_S)]
    [InlineData(QuantType.F32)]
    public void BitNetArch_WriteRead_IsLosslessAndLogitsIdentical(QuantType type)
    {
        ModelWeights w = SyntheticModel.Create(BitNetShape, seed: 5);
        using LoadedModel m = RoundTrip(BitNetShape, w, type);
        Assert.Equal(BitNetShape.Dim, m.Config.Dim);
        Assert.Equal(RopeStyle.Neox, m.Config.Rope);
        Assert.True(m.Config.SubNorms);
        var a = w.TernaryMatrices.ToArray();
        var b = m.Weights.TernaryMatrices.ToArray();
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i].Packed.ToArray(), b[i].Packed.ToArray());
            Assert.Equal(a[i].Scale, b[i].Scale);
        }
        int[] tokens = [1, 50, 7, 299, 0];
        float[] want = new Transformer(BitNetShape, w).Forward(tokens, 0, allLogits: true).ToArray();
        float[] got = new Transformer(m.Config, m.Weights).Forward(tokens, 0, allLogits: true).ToArray();
        Assert.Equal(want, got);
    }

    [Fact]
    public void LlamaArch_WriteRead_PermutesQkAndKeepsTritsAndFp16Scales()
    {
        ModelWeights w = SyntheticModel.Create(LlamaShape, seed: 6);
        using LoadedModel m = RoundTrip(LlamaShape, w, QuantType.TQ2_0);
        Assert.Equal(RopeStyle.Interleaved, m.Config.Rope);
        Assert.False(m.Config.TiedEmbeddings);
        LayerWeights l0 = w.Layers[0], r0 = m.Weights.Layers[0];
        // v is not permuted: identical trits, scale rounded to fp16
        Assert.Equal(l0.Wv.Packed.ToArray(), r0.Wv.Packed.ToArray());
        Assert.Equal(FloatFormats.HalfToFloat(FloatFormats.FloatToHalf(l0.Wv.Scale)), r0.Wv.Scale);
        // q: the reader's rows are the writer's permutation; undoing it restores the original
        TernaryMatrix back = GgufModelWriter.RopeRows(r0.Wq, m.Config, bitnet: true, LlamaShape.Heads);
        Assert.Equal(l0.Wq.Packed.ToArray(), back.Packed.ToArray());
        // and the two models agree (interleaved RoPE on permuted rows = NEOX on HF rows), up to fp16 scales
        int[] tokens = [3, 1, 4, 1, 5, 9, 2, 6];
        float[] want = new Transformer(LlamaShape, w).Forward(tokens, 0, allLogits: true).ToArray();
        float[] got = new Transformer(m.Config, m.Weights).Forward(tokens, 0, allLogits: true).ToArray();
        Assert.True(CrossCheck.Cosine(want, got) > 0.999, $"cosine {CrossCheck.Cosine(want, got)}");
    }

    [Fact]
    public void FloatWeights_NotTernaryValued_AreAbsmeanTernarizedAndNoted()
    {
        ModelWeights w = SyntheticModel.Create(BitNetShape, seed: 8);
        var g = GgufModelWriter.Build(BitNetShape, w, null, QuantType.F32);
        byte[] bytes = GgufFileTests.ToBytes(g);
        using (GgufFile f = GgufFile.Parse(bytes))
        {
            // perturb one weight of blk.0.attn_q so the values are no longer {-s, 0, s}
            GgufTensorInfo t = f.Require("blk.0.attn_q.weight");
            int at = (int)(f.DataOffset + t.Offset);
            BitConverter.GetBytes(0.37f).CopyTo(bytes, at);
        }
        var notes = new List<string>();
        using LoadedModel m = GgufModelReader.Map(GgufFile.Parse(bytes), notes);
        Assert.Contains(notes, n => n.Contains("blk.0.attn_q.weight") && n.Contains("absmean"));
    }

    [Fact]
    public void ModelLoader_FileAndFolderAndGarbage_AreDispatchedOrRejected()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"bitrom-ml-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string gguf = Path.Combine(dir, "m.gguf");
            GgufModelWriter.Write(gguf, BitNetShape, SyntheticModel.Create(BitNetShape, seed: 2), null);
            using (LoadedModel m = ModelLoader.Load(gguf))
            {
                Assert.Equal(gguf, m.SourcePath);
                Assert.NotNull(m.Tokenizer); // no vocabulary in the file: byte tokenizer
            }
            string withVocab = Path.Combine(dir, "v.gguf");
            ModelConfig c = BitNetShape with { VocabSize = StructuredModel.Vocab };
            GgufModelWriter.Write(withVocab, c, SyntheticModel.Create(c, seed: 2), StructuredModel.Vocabulary());
            using (LoadedModel m = ModelLoader.Load(withVocab))
            {
                // the file's own gpt2 vocabulary: " the" is one merged token (Ġ t, then Ġt he)
                Assert.Equal(StructuredModel.Vocab, m.Tokenizer!.VocabSize);
                Assert.Equal([258], m.Tokenizer.Encode(" the", addBos: false));
                // and the tokenizer exports back to the same GGUF vocabulary (the HF → GGUF path of convert)
                GgufTokenizerData back = GgufTokenizerData.FromTokenizer(m.Tokenizer, m.Config with { Family = ModelFamily.OneBitLlm })!;
                GgufTokenizerData orig = StructuredModel.Vocabulary();
                Assert.Equal(orig.Tokens, back.Tokens);
                Assert.Equal(orig.TokenTypes, back.TokenTypes);
                Assert.Equal(orig.Merges, back.Merges);
                Assert.Equal("gpt-2", back.Pre);
            }
            string junk = Path.Combine(dir, "junk.bin");
            File.WriteAllBytes(junk, [1, 2, 3, 4, 5]);
            Assert.Contains("junk.bin", Assert.Throws<InvalidDataException>(() => ModelLoader.Load(junk)).Message);
            Assert.Throws<FileNotFoundException>(() => ModelLoader.Load(Path.Combine(dir, "missing.gguf")));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
