using BitRom.Model.Architectures;
using BitRom.Model.Inference;
using BitRom.Model.Lora;
using BitRom.Model.Synthetic;
using Xunit;

namespace BitRom.Tests.Lora;

/// <summary>Adapters in the forward pass: inert when B = 0, switchable, never touching the ROM.</summary>
public class LoraAdapterTests
{
    private static readonly int[] Tokens = [256, 72, 101, 108, 108, 111, 44, 32];

    private static float[] Logits(ModelConfig c, ModelWeights w, ILinearAdapter? adapter)
    {
        var t = new Transformer(c, w, contextLength: 16) { Adapter = adapter };
        return t.Forward(Tokens, 0, allLogits: true).ToArray();
    }

    [Theory]
    [InlineData("tiny", LoraQuantization.Fp)]
    [InlineData("tiny-falcon3", LoraQuantization.Fp)]
    [InlineData("tiny", LoraQuantization.W6A8)]
    public void AdapterWithZeroB_LeavesLogitsUnchanged(string arch, LoraQuantization q)
    {
        ModelConfig c = Presets.Get(arch);
        ModelWeights w = SyntheticModel.Create(c, seed: 11);
        LoraAdapter zeroB = LoraFixtures.Adapter("zero-b", c, seed: 1, q, bRange: 0f);
        Assert.Equal(Logits(c, w, null), Logits(c, w, zeroB));
    }

    [Fact]
    public void SwitchingAdapters_ChangesLogits_AndLeavesModelHashAndMaskChecksumUnchanged()
    {
        ModelConfig c = Presets.Tiny;
        ModelWeights w = SyntheticModel.Create(c, seed: 11);
        string romBefore = LoraFixtures.RomFingerprint(w);
        var set = new LoraAdapterSet();
        set.Add(LoraFixtures.Adapter("a", c, seed: 1, LoraQuantization.W6A8, bRange: 0.5f));
        set.Add(LoraFixtures.Adapter("b", c, seed: 2, LoraQuantization.W6A8, bRange: 0.5f));
        var t = new Transformer(c, w, contextLength: 16) { Adapter = set };

        float[] Run() => t.Forward(Tokens, 0, allLogits: true).ToArray();
        float[] none = Run();
        set.Activate("a");
        float[] a = Run();
        set.Activate("b");
        float[] b = Run();
        set.Activate("a");
        float[] aAgain = Run();
        set.Activate(null);
        float[] noneAgain = Run();

        Assert.NotEqual(none, a);
        Assert.NotEqual(a, b);
        Assert.Equal(a, aAgain);
        Assert.Equal(none, noneAgain);
        Assert.Equal(romBefore, LoraFixtures.RomFingerprint(w));
        Assert.Throws<ArgumentException>(() => set.Activate("c"));
    }

    [Fact]
    public void W6A8_StaysCloseToFp_ButNotIdentical()
    {
        ModelConfig c = Presets.Tiny;
        ModelWeights w = SyntheticModel.Create(c, seed: 11);
        LoraAdapter fp = LoraFixtures.Adapter("fp", c, seed: 3, LoraQuantization.Fp, bRange: 0.5f);
        float[] baseLogits = Logits(c, w, null), f = Logits(c, w, fp), q = Logits(c, w, fp.WithQuantization(LoraQuantization.W6A8));
        double loraEffect = f.Zip(baseLogits).Max(p => Math.Abs(p.First - p.Second));
        double quantError = f.Zip(q).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(loraEffect > 0);
        Assert.True(quantError > 0);
        Assert.True(quantError < 0.25 * loraEffect, $"W6A8 error {quantError} vs LoRA effect {loraEffect}");
    }

    [Fact]
    public void FromTensors_BadInput_ThrowsNamingTheKey()
    {
        ModelConfig c = Presets.Tiny;
        var ok = LoraFixtures.Tensors(c, 4, 1, 0.1f, 0.1f);
        Assert.Contains("lora_b", Assert.Throws<InvalidDataException>(() => LoraAdapter.FromTensors("f", ok.Where(t => !t.Key.EndsWith("0.self_attn.v_proj.lora_b")), new())).Message);
        Assert.Contains("q_proj", Assert.Throws<InvalidDataException>(() => LoraAdapter.FromTensors("f", LoraFixtures.Tensors(c, 4, 1, 0.1f, 0.1f, LoraTarget.QProj), new())).Message);
        Assert.Contains("rank", Assert.Throws<InvalidDataException>(() => LoraAdapter.FromTensors("f", ok, new LoraOptions { Rank = 8 })).Message);
        Assert.Contains("weird", Assert.Throws<InvalidDataException>(() => LoraAdapter.FromTensors("f", [new LoraTensor("weird", [1, 1], [0f])], new())).Message);
        // same matrix shapes, but a third layer the tiny model does not have
        var wide = LoraAdapter.FromTensors("wide", LoraFixtures.Tensors(Presets.TinyFalcon3 with { Layers = 3 }, 4, 1, 0.1f, 0.1f), new());
        Assert.Contains("layers", Assert.Throws<InvalidDataException>(() => wide.Validate(c)).Message);
    }

    [Fact]
    public void Options_FromTensors_TakeRankFromShapes_AndDefaults()
    {
        ModelConfig c = Presets.Tiny;
        LoraAdapter a = LoraAdapter.FromTensors("f", LoraFixtures.Tensors(c, 4, 1, 0.1f, 0.1f), new());
        Assert.Equal(4, a.Rank);
        Assert.Equal(LoraOptions.DefaultAlpha, a.Alpha);
        Assert.Equal(8f, a.Scaling);
        Assert.Equal(LoraQuantization.W6A8, a.Quantization);
        Assert.Equal(2 * 3, a.Modules.Count());
        // v: 64·4 + 4·32, o: 64·4 + 4·64, down: 160·4 + 4·64 per layer
        Assert.Equal(2 * (64 * 4 + 4 * 32 + 64 * 4 + 4 * 64 + 160 * 4 + 4 * 64), a.Parameters);
    }

    [Fact]
    public void Sidecar_ReadsPeftKeys_AndRejectsBadValues()
    {
        string dir = Directory.CreateTempSubdirectory("bitrom-lora").FullName;
        try
        {
            string path = Path.Combine(dir, "a.json");
            File.WriteAllText(path, """{"r": 16, "lora_alpha": 32, "target_modules": ["v_proj", "o_proj"], "quant": "fp"}""");
            LoraOptions o = LoraSidecar.Read(path);
            Assert.Equal(16, o.Rank);
            Assert.Equal(32f, o.Alpha);
            Assert.Equal([LoraTarget.VProj, LoraTarget.OProj], o.Targets);
            Assert.Equal(LoraQuantization.Fp, o.Quantization);
            Assert.Equal(path, LoraSidecar.Locate(Path.Combine(dir, "a.safetensors")));
            Assert.Equal(8, new LoraOptions { Rank = 8 }.Over(o).Rank);

            File.WriteAllText(path, """{"r": -1}""");
            Assert.Contains("'r'", Assert.Throws<InvalidDataException>(() => LoraSidecar.Read(path)).Message);
            File.WriteAllText(path, """{"r": 16, "target_modules": ["x_proj"]}""");
            Assert.Contains("x_proj", Assert.Throws<InvalidDataException>(() => LoraSidecar.Read(path)).Message);
            File.WriteAllText(path, "{\"r\": ");
            Assert.Contains(path, Assert.Throws<InvalidDataException>(() => LoraSidecar.Read(path)).Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
