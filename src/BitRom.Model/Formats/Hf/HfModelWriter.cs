using System.Buffers.Binary;
using System.Text.Json;
using BitRom.Model.Architectures;
using BitRom.Model.Formats.Safetensors;
using BitRom.Numerics.Floats;
using BitRom.Numerics.Ternary;

namespace BitRom.Model.Formats.Hf;

/// <summary>The published HF layouts (FORMATS.md §2).</summary>
public enum HfLayout
{
    /// <summary>microsoft/bitnet-b1.58-2B-4T: BitNetForCausalLM, packed uint8 + bf16 weight_scale, autobitlinear, sub-norms.</summary>
    BitNet2B4T,
    /// <summary>tiiuae Falcon3-*-1.58bit: LlamaForCausalLM + bitnet quantization, packed uint8 + weight_scale, bitlinear, lm_head.</summary>
    Falcon3,
    /// <summary>1bitLLM bitnet_b1_58: BitnetForCausalLM, fp16 master weights, inner_attn_ln / ffn_layernorm sub-norms.</summary>
    OneBitLlm,
}

/// <summary>
/// Writes an HF folder in a published layout (tests, converters, LoRA adapters). Floating tensors are written in
/// bf16 when that is lossless, else f32; packed weight scales are chosen so that loading gives wEff back exactly
/// (for <c>bitlinear</c> a weight_scale whose float reciprocal is wEff).
/// </summary>
public static class HfModelWriter
{
    /// <summary>
    /// Writes config.json and the safetensors (sharded above <paramref name="maxShardBytes"/> data bytes when given).
    /// In the 1bitLLM layout each projection is written as fp16 master weights trit·wEff; loading re-ternarizes them
    /// (same trits, scale = mean|W|, FORMATS.md §2.3).
    /// </summary>
    public static void Write(string directory, ModelConfig c, ModelWeights w, HfLayout layout, long maxShardBytes = 0)
    {
        ModelFamily want = layout switch { HfLayout.BitNet2B4T => ModelFamily.BitNetB158, HfLayout.Falcon3 => ModelFamily.Falcon3, _ => ModelFamily.OneBitLlm };
        if (c.Family != want) throw new ArgumentException($"a {c.Family} model cannot be written in the {layout} layout");
        w.Validate(c);
        Directory.CreateDirectory(directory);
        var tensors = new List<SafetensorsTensor> { Dense(HfTensorNames.Embedding, w.Embedding) };
        for (int i = 0; i < c.Layers; i++)
        {
            LayerWeights l = w.Layers[i];
            tensors.Add(Vector(HfTensorNames.AttnNorm(i), l.AttnNorm));
            tensors.Add(Vector(HfTensorNames.FfnNorm(i), l.FfnNorm));
            if (c.SubNorms)
            {
                tensors.Add(Vector(HfTensorNames.AttnSubNorm(c.Family, i), l.AttnSubNorm!));
                tensors.Add(Vector(HfTensorNames.FfnSubNorm(c.Family, i), l.FfnSubNorm!));
            }
            TernaryMatrix[] m = l.Matrices.ToArray();
            for (int p = 0; p < m.Length; p++)
            {
                string module = HfTensorNames.Layer(i) + HfTensorNames.Projections[p];
                if (layout == HfLayout.OneBitLlm)
                {
                    tensors.Add(Master(module + ".weight", m[p]));
                    continue;
                }
                tensors.Add(new(module + ".weight", SafetensorsDType.U8, [HfPackedWeights.PackedRows(m[p].Rows), m[p].Cols], HfPackedWeights.Pack(m[p])));
                tensors.Add(WeightScale(module + ".weight_scale", m[p].Scale, layout == HfLayout.BitNet2B4T ? HfLinearClass.AutoBitLinear : HfLinearClass.BitLinear));
            }
        }
        tensors.Add(Vector(HfTensorNames.OutputNorm, w.OutputNorm));
        if (!c.TiedEmbeddings) tensors.Add(Dense(HfTensorNames.LmHead, w.Output!));

        var meta = new Dictionary<string, string> { ["format"] = "pt" };
        if (maxShardBytes > 0) SafetensorsWriter.WriteSharded(directory, tensors, maxShardBytes, meta);
        else SafetensorsWriter.Write(Path.Combine(directory, SafetensorsCheckpoint.SingleFileName), tensors, meta);
        File.WriteAllBytes(Path.Combine(directory, "config.json"), ConfigJson(c, layout));
    }

    /// <summary>The config.json of <paramref name="layout"/>, with the fields of the published configs (FORMATS.md §2).</summary>
    public static byte[] ConfigJson(ModelConfig c, HfLayout layout)
    {
        using var ms = new MemoryStream();
        using (var j = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            j.WriteStartObject();
            j.WriteStartArray("architectures");
            j.WriteStringValue(layout switch { HfLayout.BitNet2B4T => "BitNetForCausalLM", HfLayout.Falcon3 => "LlamaForCausalLM", _ => "BitnetForCausalLM" });
            j.WriteEndArray();
            j.WriteString("model_type", layout == HfLayout.BitNet2B4T ? "bitnet" : "llama");
            j.WriteNumber("hidden_size", c.Dim);
            j.WriteNumber("num_hidden_layers", c.Layers);
            j.WriteNumber("num_attention_heads", c.Heads);
            j.WriteNumber("num_key_value_heads", c.KvHeads);
            j.WriteNumber("head_dim", c.HeadDim);
            j.WriteNumber("intermediate_size", c.HiddenDim);
            j.WriteNumber("vocab_size", c.VocabSize);
            j.WriteNumber("max_position_embeddings", c.MaxSeqLen);
            j.WriteNumber("rope_theta", c.RopeTheta);
            j.WriteNumber("rms_norm_eps", c.NormEps);
            j.WriteString("hidden_act", c.Activation == FfnActivation.Relu2 ? "relu2" : "silu");
            j.WriteBoolean("tie_word_embeddings", c.TiedEmbeddings);
            if (c.BosToken >= 0) j.WriteNumber("bos_token_id", c.BosToken);
            if (c.EosToken >= 0) j.WriteNumber("eos_token_id", c.EosToken);
            j.WriteString("torch_dtype", layout == HfLayout.OneBitLlm ? "float16" : "bfloat16");
            switch (layout)
            {
                case HfLayout.BitNet2B4T:
                    j.WriteStartObject("quantization_config");
                    j.WriteString("quant_method", "bitnet");
                    j.WriteString("linear_class", "autobitlinear");
                    j.WriteString("quantization_mode", "offline");
                    j.WriteEndObject();
                    break;
                case HfLayout.Falcon3:
                    j.WriteBoolean("is_bitnet_config", true);
                    j.WriteStartObject("quantization_config");
                    j.WriteStartArray("modules_to_not_convert");
                    j.WriteStringValue("lm_head");
                    j.WriteEndArray();
                    j.WriteString("quant_method", "bitnet");
                    j.WriteEndObject();
                    break;
                default:
                    j.WriteNumber("weight_bits", 1);
                    j.WriteNumber("input_bits", 8);
                    break;
            }
            j.WriteEndObject();
        }
        return ms.ToArray();
    }

    /// <summary>
    /// One weight_scale tensor [1]: autobitlinear stores wEff, bitlinear stores a value whose float reciprocal is wEff.
    /// bf16 is preferred (the checkpoints' dtype) when it is exact, else f32. Not every float is a reciprocal of a
    /// float: then the f32 whose reciprocal is nearest to wEff is written (off by one ulp at most).
    /// </summary>
    internal static SafetensorsTensor WeightScale(string name, float wEff, HfLinearClass linear)
    {
        IEnumerable<float> candidates = linear == HfLinearClass.AutoBitLinear ? [wEff] : Neighbours(1f / wEff);
        float best = float.NaN;
        foreach (float ws in candidates)
        {
            float back = linear == HfLinearClass.AutoBitLinear ? ws : 1f / ws;
            if (back == wEff && FloatFormats.BFloat16ToFloat(FloatFormats.FloatToBFloat16(ws)) == ws)
            {
                var b = new byte[2];
                BinaryPrimitives.WriteUInt16LittleEndian(b, FloatFormats.FloatToBFloat16(ws));
                return new(name, SafetensorsDType.BF16, [1], b);
            }
            float bestBack = linear == HfLinearClass.AutoBitLinear ? best : 1f / best;
            if (float.IsNaN(best) || Math.Abs(back - wEff) < Math.Abs(bestBack - wEff)) best = ws;
        }
        return new(name, SafetensorsDType.F32, [1], Floats([best]));
    }

    private static IEnumerable<float> Neighbours(float x)
    {
        // The reciprocal of a float's reciprocal is within a few ulps of it; search those ulps.
        float up = x, down = x;
        yield return x;
        for (int i = 0; i < 4; i++)
        {
            up = MathF.BitIncrement(up);
            down = MathF.BitDecrement(down);
            yield return up;
            yield return down;
        }
    }

    private static SafetensorsTensor Master(string name, TernaryMatrix m)
    {
        sbyte[] t = m.ToTrits();
        var b = new byte[t.Length * 2];
        for (int i = 0; i < t.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(i * 2), FloatFormats.FloatToHalf(t[i] * m.Scale));
        return new(name, SafetensorsDType.F16, [m.Rows, m.Cols], b);
    }

    private static SafetensorsTensor Vector(string name, float[] v) => Floating(name, [v.Length], v);

    private static SafetensorsTensor Dense(string name, DenseMatrix m) => m.Type switch
    {
        DenseElementType.BF16 => new(name, SafetensorsDType.BF16, [m.Rows, m.Cols], m.Data),
        DenseElementType.F16 => new(name, SafetensorsDType.F16, [m.Rows, m.Cols], m.Data),
        _ => Floating(name, [m.Rows, m.Cols], Decode(m)),
    };

    private static float[] Decode(DenseMatrix m)
    {
        var v = new float[(long)m.Rows * m.Cols];
        for (int r = 0; r < m.Rows; r++) m.DecodeRow(r, v.AsSpan(r * m.Cols, m.Cols));
        return v;
    }

    /// <summary>bf16 when every value survives the round trip, else f32.</summary>
    private static SafetensorsTensor Floating(string name, long[] shape, float[] v)
    {
        bool bf16 = v.All(x => FloatFormats.BFloat16ToFloat(FloatFormats.FloatToBFloat16(x)).Equals(x));
        if (!bf16) return new(name, SafetensorsDType.F32, shape, Floats(v));
        var b = new byte[v.Length * 2];
        for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(i * 2), FloatFormats.FloatToBFloat16(v[i]));
        return new(name, SafetensorsDType.BF16, shape, b);
    }

    private static byte[] Floats(float[] v)
    {
        var b = new byte[v.Length * 4];
        for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(i * 4), v[i]);
        return b;
    }
}
