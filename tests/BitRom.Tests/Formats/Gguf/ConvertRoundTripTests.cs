using BitRom.Model.Architectures;
using BitRom.Model.Formats;
using BitRom.Model.Formats.Gguf;
using BitRom.Model.Formats.Hf;
using BitRom.Model.Inference;
using BitRom.Model.Synthetic;
using BitRom.Numerics.Quant;
using Xunit;

namespace BitRom.Tests.Formats.Gguf;

/// <summary>GGUF → GGUF type changes (what <c>bitrom convert</c> does) are lossless for trits and scales.</summary>
public class ConvertRoundTripTests
{
    private static byte[] Convert(byte[] file, QuantType to)
    {
        using LoadedModel m = GgufModelReader.Map(GgufFile.Parse(file, "in.gguf"));
        GgufTokenizerData? vocab = GgufTokenizerData.FromMetadata(m.Metadata, "in.gguf");
        return GgufFileTests.ToBytes(GgufModelWriter.Build(m.Config, m.Weights, vocab, to));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Tq2ToTq1ToI2SToF32ToTq2_IsByteIdentical(bool falcon3)
    {
        ModelConfig c = falcon3 ? GgufModelTests.LlamaShape : GgufModelTests.BitNetShape;
        GgufTokenizerData vocab = StructuredModel.Vocabulary() with { };
        c = c with { VocabSize = vocab.Tokens.Length };
        byte[] start = GgufFileTests.ToBytes(GgufModelWriter.Build(c, SyntheticModel.Create(c, seed: 11), vocab, QuantType.TQ2_0));
        byte[] x = start;
        foreach (QuantType t in new[] { QuantType.TQ1_0, QuantType.I2_S, QuantType.F32, QuantType.TQ2_0 }) x = Convert(x, t);
        Assert.Equal(start, x);
        using GgufFile f = GgufFile.Parse(x);
        Assert.Equal(vocab.Tokens, f.Metadata["tokenizer.ggml.tokens"]);
        Assert.Equal(falcon3 ? "llama" : "bitnet", f.Architecture);
    }

    [Fact]
    public void Relu2Model_ToI2S_IsABitNetCppFileReadBackWithRelu2()
    {
        ModelConfig c = GgufModelTests.BitNetShape with { Family = ModelFamily.BitNetB158, Activation = FfnActivation.Relu2 };
        byte[] i2s = GgufFileTests.ToBytes(GgufModelWriter.Build(c, SyntheticModel.Create(c, seed: 12), null, QuantType.I2_S));
        using GgufFile f = GgufFile.Parse(i2s);
        Assert.Equal(GgufNames.BitNet25, f.Architecture);
        Assert.True(f.IsBitNetCpp);
        using LoadedModel m = GgufModelReader.Map(GgufFile.Parse(i2s));
        Assert.Equal(FfnActivation.Relu2, m.Config.Activation);
    }

    [Theory]
    [InlineData(HfLayout.BitNet2B4T)]
    [InlineData(HfLayout.Falcon3)]
    public void HfFolder_ToGguf_KeepsTritsScalesAndLogits(HfLayout layout)
    {
        bool falcon = layout == HfLayout.Falcon3;
        ModelConfig c = falcon ? GgufModelTests.LlamaShape : GgufModelTests.BitNetShape with { Family = ModelFamily.BitNetB158, Activation = FfnActivation.Relu2 };
        string dir = Directory.CreateTempSubdirectory("bitrom-hf2gguf-").FullName;
        try
        {
            HfModelWriter.Write(Path.Combine(dir, "hf"), c, SyntheticModel.Create(c, seed: 13), layout);
            using LoadedModel hf = ModelLoader.Load(Path.Combine(dir, "hf"));
            string gguf = Path.Combine(dir, "m.gguf");
            GgufModelWriter.Write(gguf, hf.Config, hf.Weights, null, QuantType.TQ2_0);
            using LoadedModel g = ModelLoader.Load(gguf);
            Assert.Equal(falcon ? "llama" : "bitnet", g.Metadata["general.architecture"]);
            Assert.Equal(hf.Config.Activation, g.Config.Activation);
            int[] tokens = [5, 17, 200, 3];
            float[] want = new Transformer(hf.Config, hf.Weights).Forward(tokens, 0, allLogits: true).ToArray();
            float[] got = new Transformer(g.Config, g.Weights).Forward(tokens, 0, allLogits: true).ToArray();
            if (falcon) Assert.True(CrossCheck.Cosine(want, got) > 0.999); // fp16 d and interleaved RoPE order
            else Assert.Equal(want, got); // bitnet arch: d = 1 and exact .scale, bit-identical
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
