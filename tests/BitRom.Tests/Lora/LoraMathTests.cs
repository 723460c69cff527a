using BitRom.Model.Lora;
using Xunit;

namespace BitRom.Tests.Lora;

/// <summary>The authors' LoRA arithmetic (PAPER-NOTES.md §6) on hand-computed cases.</summary>
public class LoraMathTests
{
    // x: max|x| = 127.5 so the 8-bit scale is 127.5 / 127.5 = 1; ties 2.5 → 2, 3.5 → 4, 0.5 → 0, −1.5 → −2;
    // clamp ends 127.5 → 128 → 127 and −127.5 → −128.
    private static readonly float[] X = [127.5f, -127.5f, 2.5f, 3.5f, 0.5f, -1.5f];

    // A [K = 6, r = 2] row-major: column 0 = 31.5, −31.5, 0.5, 1.5, 2.5, −2.5 (max 31.5 → 6-bit scale 1);
    // quantized 31 (clamped from 32), −32, 0, 2, 2, −2. Column 1 = 1, 0, 0, 0, 0, 0.
    private static readonly float[] A = [31.5f, 1, -31.5f, 0, 0.5f, 0, 1.5f, 0, 2.5f, 0, -2.5f, 0];

    // B [r = 2, N = 2]: max 31.5 → scale 1; quantized [[31, 0], [−32, 2]].
    private static readonly float[] B = [31.5f, 0.5f, -31.5f, 2.5f];

    [Fact]
    public void W6A8_HandCase_RoundsTiesToEvenAndClampsBothEnds()
    {
        var m = new LoraModule(0, LoraTarget.VProj, k: 6, n: 2, rank: 2, A, B);
        float[] y = [1000f, -1000f];
        m.Apply(X, 1, y, scaling: 16f, LoraQuantization.W6A8);
        // h0 = 127·31 + (−128)(−32) + 2·0 + 4·2 + 0·2 + (−2)(−2) = 8045; h1 = 127·1 = 127
        // Δy0 = (8045·31 + 127·(−32))·16 = 245,331·16; Δy1 = (8045·0 + 127·2)·16 = 254·16
        Assert.Equal(1000f + 245331f * 16f, y[0]);
        Assert.Equal(-1000f + 254f * 16f, y[1]);
    }

    [Fact]
    public void Fp_HandCase_UsesUnquantizedValues()
    {
        var m = new LoraModule(0, LoraTarget.VProj, k: 6, n: 2, rank: 2, A, B);
        float[] y = new float[2];
        m.Apply(X, 1, y, scaling: 1f, LoraQuantization.Fp);
        double h0 = 127.5 * 31.5 + 127.5 * 31.5 + 2.5 * 0.5 + 3.5 * 1.5 + 0.5 * 2.5 + 1.5 * 2.5, h1 = 127.5;
        Assert.Equal(h0 * 31.5 - h1 * 31.5, y[0], 1e-2);
        Assert.Equal(h0 * 0.5 + h1 * 2.5, y[1], 1e-2);
    }

    [Fact]
    public void Ternary_HandCase_UsesAbsMeanScales()
    {
        // A = [2, −1, 0, 0.4] as [K = 4, r = 1]: mean|A| = 0.85; A/0.85 = 2.35, −1.18, 0, 0.47 → 1, −1, 0, 0 (· 0.85)
        // B = [4] as [1, 1]: mean 4 → 1 · 4. x = [1, 1, 1, 1] → 8-bit scale 1/127.5, all codes 127.5 → 128 → 127.
        var m = new LoraModule(0, LoraTarget.OProj, k: 4, n: 1, rank: 1, [2f, -1f, 0f, 0.4f], [4f]);
        float[] y = new float[1];
        m.Apply([1f, 1f, 1f, 1f], 1, y, scaling: 1f, LoraQuantization.Ternary);
        float xs = 127 * (1f / 127.5f);
        float expected = (xs * 0.85f + xs * -0.85f + xs * 0f + xs * 0f) * 4f;
        Assert.Equal(expected, y[0], 6);
        Assert.Equal(0.85f, LoraQuantizer.AbsMeanScale([2f, -1f, 0f, 0.4f]));
    }

    [Fact]
    public void ActivationScale_IsPerTensorOverAllTokensOfTheCall()
    {
        // two tokens: max|x| over both rows (127.5) sets one scale; the second token alone would have scale 1/127.5
        // A = [−31.5, 0] and B = [−31.5] have 6-bit scale 1 and codes −32
        var m = new LoraModule(0, LoraTarget.VProj, k: 2, n: 1, rank: 1, [-31.5f, 0f], [-31.5f]);
        float[] y = new float[2];
        m.Apply([127.5f, 0f, 0.4f, 0f], 2, y, scaling: 1f, LoraQuantization.W6A8);
        Assert.Equal(127f * 32f * 32f, y[0]);   // clamp end
        Assert.Equal(0f, y[1]);                 // 0.4 / 1 rounds to 0
    }

    [Fact]
    public void UniformScale_SixAndEightBits_AreMaxOver31_5And127_5_FlooredAt1e8()
    {
        Assert.Equal(2f, LoraQuantizer.UniformScale([-63f, 1f], 6));
        Assert.Equal(2f, LoraQuantizer.UniformScale([255f], 8));
        Assert.Equal(LoraQuantizer.ScaleFloor, LoraQuantizer.UniformScale([0f, 0f], 6));
    }

    [Theory]
    [InlineData("model.layers.3.self_attn.v_proj", 3, LoraTarget.VProj)]
    [InlineData("base_model.model.model.layers.12.mlp.down_proj", 12, LoraTarget.DownProj)]
    [InlineData("model.layers.0.self_attn.o_proj", 0, LoraTarget.OProj)]
    [InlineData("blk.7.attn_v", 7, LoraTarget.VProj)]
    [InlineData("blk.1.ffn_gate", 1, LoraTarget.GateProj)]
    public void ModulePath_KnownForms_Parse(string path, int layer, LoraTarget target)
    {
        Assert.Equal((layer, target), LoraTargets.ParseModulePath(path));
    }

    [Theory]
    [InlineData("model.layers.3.self_attn.w_proj")]
    [InlineData("model.layers.x.mlp.down_proj")]
    [InlineData("lm_head")]
    public void ModulePath_Unknown_IsNull(string path) => Assert.Null(LoraTargets.ParseModulePath(path));
}
