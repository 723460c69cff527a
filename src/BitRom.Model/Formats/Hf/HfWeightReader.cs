using BitRom.Model.Architectures;
using BitRom.Model.Formats.Safetensors;
using BitRom.Numerics.Floats;
using BitRom.Numerics.Ternary;

namespace BitRom.Model.Formats.Hf;

/// <summary>
/// Builds <see cref="ModelWeights"/> from an HF checkpoint: packed uint8 BitLinear weights with <c>weight_scale</c>
/// (2B4T, Falcon3), or floating master weights ternarized per tensor (1bitLLM; 2B4T-bf16 online mode).
/// Embeddings and the head stay in their stored dtype, mapped, not copied.
/// </summary>
public static class HfWeightReader
{
    /// <summary>Reads every tensor <paramref name="c"/> needs, checking dtype and shape of each.</summary>
    public static ModelWeights Read(SafetensorsCheckpoint ckpt, HfConfig hf, ModelConfig c)
    {
        CheckConvertedModules(hf);
        // The layer count comes from config.json: confirm the last layer exists before sizing anything by it.
        if (!ckpt.Contains(HfTensorNames.AttnNorm(c.Layers - 1)))
            throw new InvalidDataException($"config.json: num_hidden_layers = {c.Layers}, but the checkpoint has no '{HfTensorNames.AttnNorm(c.Layers - 1)}'");
        var layers = new LayerWeights[c.Layers];
        for (int i = 0; i < c.Layers; i++)
        {
            var m = new TernaryMatrix[HfTensorNames.Projections.Length];
            for (int p = 0; p < m.Length; p++)
            {
                (int rows, int cols) = HfTensorNames.Shape(c, p);
                m[p] = Matrix(ckpt, hf, HfTensorNames.Layer(i) + HfTensorNames.Projections[p], HfTensorNames.EngineName(i, p), rows, cols);
            }
            layers[i] = new LayerWeights
            {
                AttnNorm = Vector(ckpt, HfTensorNames.AttnNorm(i), c.Dim),
                Wq = m[0], Wk = m[1], Wv = m[2], Wo = m[3],
                AttnSubNorm = c.SubNorms ? Vector(ckpt, HfTensorNames.AttnSubNorm(c.Family, i), c.QDim) : null,
                FfnNorm = Vector(ckpt, HfTensorNames.FfnNorm(i), c.Dim),
                WGate = m[4], WUp = m[5], WDown = m[6],
                FfnSubNorm = c.SubNorms ? Vector(ckpt, HfTensorNames.FfnSubNorm(c.Family, i), c.HiddenDim) : null,
            };
        }
        var w = new ModelWeights
        {
            Embedding = Dense(ckpt, HfTensorNames.Embedding, "token_embd", c.VocabSize, c.Dim),
            Layers = layers,
            OutputNorm = Vector(ckpt, HfTensorNames.OutputNorm, c.Dim),
            // transformers ties lm_head to the embedding when tie_word_embeddings, ignoring a stored lm_head.
            Output = c.TiedEmbeddings ? null : Dense(ckpt, HfTensorNames.LmHead, "output", c.VocabSize, c.Dim),
        };
        w.Validate(c);
        return w;
    }

    /// <summary>
    /// transformers converts every nn.Linear whose name contains none of <c>modules_to_not_convert</c>
    /// (<c>replace_with_bitnet_linear</c>); a projection left unconverted would be a float linear, which BitRom does not run.
    /// </summary>
    private static void CheckConvertedModules(HfConfig hf)
    {
        if (hf.QuantMethod != "bitnet") return;
        foreach (string module in hf.ModulesToNotConvert)
        {
            if (module.Length == 0) continue;
            if (HfTensorNames.Projections.Any(p => p.Contains(module, StringComparison.Ordinal) || module.Contains(p, StringComparison.Ordinal)) || module.StartsWith("model.layers", StringComparison.Ordinal))
                throw new InvalidDataException($"config.json: quantization_config.modules_to_not_convert lists '{module}': float projections are not supported, every q/k/v/o/gate/up/down must be BitLinear");
        }
    }

    private static TernaryMatrix Matrix(SafetensorsCheckpoint ckpt, HfConfig hf, string module, string engineName, int rows, int cols)
    {
        string name = module + ".weight";
        SafetensorsTensorInfo t = ckpt.Info(name);
        string file = ckpt.FileOf(name).Name;
        if (t.DType == SafetensorsDType.U8)
        {
            ExpectShape(t, file, HfPackedWeights.PackedRows(rows), cols);
            float wEff = EffectiveScale(ckpt, hf, module + ".weight_scale");
            return HfPackedWeights.Unpack(engineName, rows, cols, ckpt.Data(name).Span, wEff, file);
        }
        // Floating master weights: online absmean ternarization per tensor (FORMATS.md §1.2 WeightQuant, §2.3).
        ExpectShape(t, file, rows, cols);
        return OneBitLlm.Ternarize(engineName, rows, cols, SafetensorsFile.DecodeFloats(t, ckpt.Data(name).Span, file));
    }

    /// <summary>wEff = weight_scale for autobitlinear (multiply), 1 / weight_scale for bitlinear (divide) — FORMATS.md §1.2.</summary>
    private static float EffectiveScale(SafetensorsCheckpoint ckpt, HfConfig hf, string name)
    {
        SafetensorsTensorInfo t = ckpt.Info(name);
        string file = ckpt.FileOf(name).Name;
        if (t.ElementCount != 1) throw new InvalidDataException($"{file}: offset {t.Offset}: '{name}' has {t.ElementCount} values, expected one");
        float ws = SafetensorsFile.DecodeFloats(t, ckpt.Data(name).Span, file)[0];
        if (!float.IsFinite(ws) || ws == 0) throw new InvalidDataException($"{file}: offset {t.Offset}: '{name}' = {ws} must be finite and non-zero");
        float wEff = hf.LinearClass == HfLinearClass.AutoBitLinear ? ws : 1f / ws;
        if (!float.IsFinite(wEff)) throw new InvalidDataException($"{file}: offset {t.Offset}: '{name}' = {ws} gives a non-finite effective scale");
        return wEff;
    }

    private static float[] Vector(SafetensorsCheckpoint ckpt, string name, int length)
    {
        SafetensorsTensorInfo t = ckpt.Info(name);
        string file = ckpt.FileOf(name).Name;
        if (t.Shape.Length != 1 || t.Shape[0] != length)
            throw new InvalidDataException($"{file}: offset {t.Offset}: '{name}' has shape [{string.Join(", ", t.Shape)}], expected [{length}]");
        return SafetensorsFile.DecodeFloats(t, ckpt.Data(name).Span, file);
    }

    private static DenseMatrix Dense(SafetensorsCheckpoint ckpt, string name, string engineName, int rows, int cols)
    {
        SafetensorsTensorInfo t = ckpt.Info(name);
        string file = ckpt.FileOf(name).Name;
        ExpectShape(t, file, rows, cols);
        DenseElementType type = t.DType switch
        {
            SafetensorsDType.F32 => DenseElementType.F32,
            SafetensorsDType.F16 => DenseElementType.F16,
            SafetensorsDType.BF16 => DenseElementType.BF16,
            _ => throw new InvalidDataException($"{file}: offset {t.Offset}: '{name}' has dtype {t.DType}; F32, F16 or BF16 expected"),
        };
        return new DenseMatrix(engineName, rows, cols, type, ckpt.Data(name));
    }

    private static void ExpectShape(SafetensorsTensorInfo t, string file, long rows, long cols)
    {
        if (t.Shape.Length != 2 || t.Shape[0] != rows || t.Shape[1] != cols)
            throw new InvalidDataException($"{file}: offset {t.Offset}: '{t.Name}' {t.DType} has shape [{string.Join(", ", t.Shape)}], expected [{rows}, {cols}]");
    }
}
