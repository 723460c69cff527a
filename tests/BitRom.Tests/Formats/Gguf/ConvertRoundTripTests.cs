using BitRom.Model.Architectures;
using BitRom.Model.Formats;
using BitRom.Model.Formats.Gguf;
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
}
