using BitRom.Model.Architectures;
using BitRom.Model.Formats;
using BitRom.Model.Formats.Hf;
using BitRom.Model.Formats.Safetensors;
using BitRom.Model.Inference;
using BitRom.Model.Synthetic;
using BitRom.Numerics.Ternary;
using Xunit;

namespace BitRom.Tests.Formats.Hf;

public class HfModelRoundTripTests
{
    private static readonly int[] Prompt = [256, 72, 101, 108, 108, 111, 44, 32, 119, 111, 114, 108, 100, 33];

    private static float[] Logits(ModelConfig c, ModelWeights w) => new Transformer(c, w).Forward(Prompt, 0, allLogits: true).ToArray();

    [Theory]
    [InlineData(HfLayout.BitNet2B4T, 0L)]
    [InlineData(HfLayout.BitNet2B4T, 20_000L)]
    [InlineData(HfLayout.Falcon3, 0L)]
    [InlineData(HfLayout.Falcon3, 30_000L)]
    public void PackedLayout_WriteThenLoad_LogitsEqualDirectWeightsExactly(HfLayout layout, long shardBytes)
    {
        ModelConfig c = layout == HfLayout.Falcon3 ? Presets.TinyFalcon3 : Presets.Tiny;
        ModelWeights w = SyntheticModel.Create(c, seed: 7);
        if (layout == HfLayout.Falcon3) w = ReciprocalScales(w);
        using var dir = new TempDir();
        HfModelWriter.Write(dir, c, w, layout, shardBytes);
        Assert.Equal(shardBytes > 0, File.Exists(Path.Combine(dir, SafetensorsCheckpoint.IndexFileName)));

        using LoadedModel m = HfModelLoader.Load(dir);
        Assert.Equal(c with { Name = m.Config.Name }, m.Config);
        for (int i = 0; i < c.Layers; i++)
        {
            TernaryMatrix[] a = w.Layers[i].Matrices.ToArray(), b = m.Weights.Layers[i].Matrices.ToArray();
            for (int p = 0; p < a.Length; p++)
            {
                Assert.Equal(a[p].Scale, b[p].Scale);
                Assert.Equal(a[p].Packed.ToArray(), b[p].Packed.ToArray());
            }
        }
        Assert.Equal(Logits(c, w), Logits(m.Config, m.Weights));
        Assert.Equal(layout == HfLayout.Falcon3 ? "bitlinear" : "autobitlinear", m.Metadata["hf.linear_class"]);
    }

    /// <summary>
    /// bitlinear stores 1/wEff; only floats that are reciprocals of floats survive the round trip exactly,
    /// so the Falcon3 test uses wEff' = 1/(1/wEff) (within an ulp of the synthetic scale).
    /// </summary>
    private static ModelWeights ReciprocalScales(ModelWeights w) =>
        MapMatrices(w, (_, _, m) => new TernaryMatrix(m.Name, m.Rows, m.Cols, m.Packed, 1f / (1f / m.Scale)));

    /// <summary>The same weights with each projection (layer, index into <see cref="HfTensorNames.Projections"/>) replaced.</summary>
    private static ModelWeights MapMatrices(ModelWeights w, Func<int, int, TernaryMatrix, TernaryMatrix> f) => new()
    {
        Embedding = w.Embedding, OutputNorm = w.OutputNorm, Output = w.Output,
        Layers = w.Layers.Select((l, i) =>
        {
            TernaryMatrix[] m = l.Matrices.Select((x, p) => f(i, p, x)).ToArray();
            return new LayerWeights
            {
                AttnNorm = l.AttnNorm, FfnNorm = l.FfnNorm, AttnSubNorm = l.AttnSubNorm, FfnSubNorm = l.FfnSubNorm,
                Wq = m[0], Wk = m[1], Wv = m[2], Wo = m[3], WGate = m[4], WUp = m[5], WDown = m[6],
            };
        }).ToArray(),
    };

    [Fact]
    public void OneBitLlmLayout_WriteThenLoad_EqualsTernarizedFp16Masters()
    {
        ModelConfig c = Presets.TinyOneBit;
        ModelWeights w = SyntheticModel.Create(c, seed: 3);
        using var dir = new TempDir();
        HfModelWriter.Write(dir, c, w, HfLayout.OneBitLlm);

        // The same weights built directly: absmean ternarization of the fp16 masters the layout stores.
        using var ckpt = SafetensorsCheckpoint.Open(dir);
        Assert.Equal(SafetensorsDType.F16, ckpt.Info("model.layers.0.self_attn.q_proj.weight").DType);
        Assert.True(ckpt.Contains("model.layers.1.self_attn.inner_attn_ln.weight"));
        Assert.True(ckpt.Contains("model.layers.1.mlp.ffn_layernorm.weight"));
        ModelWeights direct = MapMatrices(w, (i, p, src) =>
        {
            float[] master = ckpt.ReadFloats(HfTensorNames.Layer(i) + HfTensorNames.Projections[p] + ".weight");
            TernaryMatrix t = OneBitLlm.Ternarize(src.Name, src.Rows, src.Cols, master);
            Assert.Equal(src.Packed.ToArray(), t.Packed.ToArray()); // the trits survive; only the scale is re-derived
            return t;
        });

        using LoadedModel m = HfModelLoader.Load(dir);
        Assert.Equal(ModelFamily.OneBitLlm, m.Config.Family);
        Assert.Equal(Logits(c, direct), Logits(m.Config, m.Weights));
    }

    [Fact]
    public void Unpack_HandDerivedSlabs_GiveRowsROffsetApart()
    {
        // out = 8 rows, in = 2 cols, R = 2. Byte P[r, c] holds rows r, 2+r, 4+r, 6+r in bit pairs 0..3 (code = trit + 1).
        // P[0,0] = 0b10_01_00_10: row0 = +1, row2 = -1, row4 = 0, row6 = +1.  P[1,1] = 0b00_00_00_00: rows 1,3,5,7 = -1.
        byte[] p = [0b10_01_00_10, 0b01_01_01_01, 0b01_01_01_01, 0b00_00_00_00];
        TernaryMatrix m = HfPackedWeights.Unpack("w", 8, 2, p, 0.5f, "f");
        sbyte[] col0 = Enumerable.Range(0, 8).Select(n => m[n, 0]).ToArray();
        sbyte[] col1 = Enumerable.Range(0, 8).Select(n => m[n, 1]).ToArray();
        Assert.Equal(new sbyte[] { 1, 0, -1, 0, 0, 0, 1, 0 }, col0);
        Assert.Equal(new sbyte[] { 0, -1, 0, -1, 0, -1, 0, -1 }, col1);
        Assert.Equal(p, HfPackedWeights.Pack(m));
    }

    [Fact]
    public void Unpack_Code3_ThrowsNamingTheByte()
    {
        byte[] p = [0x01, 0x01, 0b1100_0101, 0x55];
        var e = Assert.Throws<InvalidDataException>(() => HfPackedWeights.Unpack("w", 8, 2, p, 1f, "m.safetensors"));
        Assert.Contains("packed byte 2", e.Message);
    }

    [Fact]
    public void WeightScale_BitLinear_StoresAReciprocalThatLoadsBackExactly()
    {
        foreach (float raw in new[] { 0.5f, 0.0123f, 1.7f, 3e-3f, 0.01234567f })
        {
            float wEff = 1f / (1f / raw);
            SafetensorsTensor t = HfModelWriter.WeightScale("s", wEff, HfLinearClass.BitLinear);
            float ws = t.DType == SafetensorsDType.BF16
                ? BitRom.Numerics.Floats.FloatFormats.BFloat16ToFloat(BitConverter.ToUInt16(t.Data.Span))
                : BitConverter.ToSingle(t.Data.Span);
            Assert.Equal(wEff, 1f / ws);
        }
        Assert.Equal(SafetensorsDType.BF16, HfModelWriter.WeightScale("s", 0.5f, HfLinearClass.BitLinear).DType);
    }

    [Fact]
    public void Load_MissingTensorOrWrongDtype_ThrowsNamingIt()
    {
        ModelConfig c = Presets.Tiny;
        using var dir = new TempDir();
        HfModelWriter.Write(dir, c, SyntheticModel.Create(c, seed: 1), HfLayout.BitNet2B4T);
        // Drop one sub-norm by rewriting the file without it.
        string path = Path.Combine(dir, SafetensorsCheckpoint.SingleFileName);
        List<SafetensorsTensor> all;
        using (var f = SafetensorsFile.Open(path))
            all = f.Header.Tensors.Select(t => new SafetensorsTensor(t.Name, t.DType, t.Shape, f.Data(t.Name).ToArray())).ToList();
        SafetensorsWriter.Write(path, all.Where(t => t.Name != "model.layers.1.mlp.ffn_sub_norm.weight").ToList());
        Assert.Contains("model.layers.1.mlp.ffn_sub_norm.weight", Assert.Throws<InvalidDataException>(() => HfModelLoader.Load(dir)).Message);

        SafetensorsWriter.Write(path, all.Select(t => t.Name == "model.embed_tokens.weight" ? t with { DType = SafetensorsDType.I16 } : t).ToList());
        Assert.Contains("I16", Assert.Throws<InvalidDataException>(() => HfModelLoader.Load(dir)).Message);
    }

    [Fact]
    public void Load_ConfigWithHugeLayerCount_IsRejectedBeforeAllocating()
    {
        using var dir = new TempDir();
        HfModelWriter.Write(dir, Presets.Tiny, SyntheticModel.Create(Presets.Tiny, seed: 1), HfLayout.BitNet2B4T);
        string cfg = Path.Combine(dir, "config.json");
        File.WriteAllText(cfg, File.ReadAllText(cfg).Replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 2000000000"));
        Assert.Contains("num_hidden_layers", Assert.Throws<InvalidDataException>(() => HfModelLoader.Load(dir)).Message);
    }

    [Fact]
    public void Load_ModulesToNotConvertListingAProjection_IsRejected()
    {
        ModelConfig c = Presets.TinyFalcon3;
        using var dir = new TempDir();
        HfModelWriter.Write(dir, c, SyntheticModel.Create(c, seed: 1), HfLayout.Falcon3);
        string cfg = Path.Combine(dir, "config.json");
        File.WriteAllText(cfg, File.ReadAllText(cfg).Replace("\"lm_head\"", "\"lm_head\", \"q_proj\""));
        Assert.Contains("q_proj", Assert.Throws<InvalidDataException>(() => HfModelLoader.Load(dir)).Message);
    }

    [Fact]
    public void BitNetOnlineLayout_Bf16MasterWeights_AreTernarizedPerTensor()
    {
        // microsoft/bitnet-b1.58-2B-4T-bf16: BitNetForCausalLM with bf16 master weights, quantization_mode online.
        ModelConfig c = Presets.Tiny;
        ModelWeights w = SyntheticModel.Create(c, seed: 9);
        using var dir = new TempDir();
        HfModelWriter.Write(dir, c, w, HfLayout.BitNet2B4T);
        string path = Path.Combine(dir, SafetensorsCheckpoint.SingleFileName);
        var tensors = new List<SafetensorsTensor>();
        var masters = new Dictionary<string, float[]>();
        using (var f = SafetensorsFile.Open(path))
        {
            foreach (SafetensorsTensorInfo t in f.Header.Tensors)
            {
                if (t.Name.EndsWith(".weight_scale", StringComparison.Ordinal)) continue;
                if (t.DType != SafetensorsDType.U8) { tensors.Add(new(t.Name, t.DType, t.Shape, f.Data(t.Name).ToArray())); continue; }
                // A master weight whose absmean ternarization is known: trit · 0.75 plus a small structured offset.
                int rows = (int)t.Shape[0] * 4, cols = (int)t.Shape[1];
                sbyte[] trits = HfPackedWeights.Unpack(t.Name, rows, cols, f.Data(t.Name).Span, 1f, f.Name).ToTrits();
                var m = new float[trits.Length];
                var b = new byte[m.Length * 2];
                for (int i = 0; i < m.Length; i++)
                {
                    ushort bits = BitRom.Numerics.Floats.FloatFormats.FloatToBFloat16(trits[i] * 0.75f + (i % 5 - 2) * 0.01f);
                    m[i] = BitRom.Numerics.Floats.FloatFormats.BFloat16ToFloat(bits);
                    b[2 * i] = (byte)bits;
                    b[2 * i + 1] = (byte)(bits >> 8);
                }
                masters[t.Name] = m;
                tensors.Add(new(t.Name, SafetensorsDType.BF16, [rows, cols], b));
            }
        }
        SafetensorsWriter.Write(path, tensors);
        string cfg = Path.Combine(dir, "config.json");
        File.WriteAllText(cfg, File.ReadAllText(cfg).Replace("\"offline\"", "\"online\""));

        using LoadedModel loaded = HfModelLoader.Load(dir);
        TernaryMatrix q = loaded.Weights.Layers[1].Wq;
        TernaryMatrix expected = OneBitLlm.Ternarize(q.Name, q.Rows, q.Cols, masters["model.layers.1.self_attn.q_proj.weight"]);
        Assert.Equal(expected.Scale, q.Scale);
        Assert.Equal(expected.Packed.ToArray(), q.Packed.ToArray());
        Assert.Equal(w.Layers[1].Wq.Packed.ToArray(), q.Packed.ToArray()); // the offsets are too small to flip a trit
    }
}
