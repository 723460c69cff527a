using BitRom.Model.Architectures;
using BitRom.Numerics.Floats;
using BitRom.Numerics.Quant;
using BitRom.Numerics.Ternary;

namespace BitRom.Model.Formats.Gguf;

public static partial class GgufModelReader
{
    /// <summary>Reads the tensors of one file into model weights, checking each shape and type.</summary>
    private sealed class TensorReader(GgufFile file, ICollection<string>? notes)
    {
        public ModelWeights ReadWeights(ModelConfig c)
        {
            var layers = new LayerWeights[c.Layers];
            for (int i = 0; i < c.Layers; i++)
            {
                layers[i] = new LayerWeights
                {
                    AttnNorm = Vector($"blk.{i}.attn_norm.weight", c.Dim),
                    Wq = Ternary(i, "attn_q", c.QDim, c.Dim),
                    Wk = Ternary(i, "attn_k", c.KvDim, c.Dim),
                    Wv = Ternary(i, "attn_v", c.KvDim, c.Dim),
                    Wo = Ternary(i, "attn_output", c.Dim, c.QDim),
                    AttnSubNorm = c.SubNorms ? Vector($"blk.{i}.attn_sub_norm.weight", c.QDim) : null,
                    FfnNorm = Vector($"blk.{i}.ffn_norm.weight", c.Dim),
                    WGate = Ternary(i, "ffn_gate", c.HiddenDim, c.Dim),
                    WUp = Ternary(i, "ffn_up", c.HiddenDim, c.Dim),
                    WDown = Ternary(i, "ffn_down", c.Dim, c.HiddenDim),
                    FfnSubNorm = c.SubNorms ? Vector($"blk.{i}.ffn_sub_norm.weight", c.HiddenDim) : null,
                };
            }
            return new ModelWeights
            {
                Embedding = Dense("token_embd.weight", c.VocabSize, c.Dim),
                Layers = layers,
                OutputNorm = Vector("output_norm.weight", c.Dim),
                // llama.cpp's bitnet graph always uses token_embd as the head, so an output.weight there is ignored.
                Output = c.TiedEmbeddings ? null : Dense("output.weight", c.VocabSize, c.Dim),
            };
        }

        private InvalidDataException Bad(GgufTensorInfo t, string what) => new($"{file.Path}: tensor '{t.Name}': {what}");

        private GgufTensorInfo Matrix(string name, int rows, int cols)
        {
            GgufTensorInfo t = file.Require(name);
            if (t.Shape.Length != 2 || t.Shape[0] != cols || t.Shape[1] != rows)
                throw Bad(t, $"shape [{string.Join(", ", t.Shape)}], expected [{cols}, {rows}] (ne0 = input features)");
            return t;
        }

        private DenseMatrix Dense(string name, int rows, int cols)
        {
            GgufTensorInfo t = Matrix(name, rows, cols);
            DenseElementType type = t.Type switch
            {
                QuantType.F32 => DenseElementType.F32,
                QuantType.F16 => DenseElementType.F16,
                QuantType.BF16 => DenseElementType.BF16,
                QuantType.Q8_0 => DenseElementType.Q8_0,
                _ => throw Bad(t, $"type {QuantTypeTraits.Get(t.Type).Name} is not supported for embeddings/heads (f32, f16, bf16, q8_0)"),
            };
            return new DenseMatrix(name, rows, cols, type, file.TensorData(t));
        }

        private float[] Vector(string name, int n)
        {
            GgufTensorInfo t = file.Require(name);
            if (t.Elements != n || t.RowLength != n) throw Bad(t, $"shape [{string.Join(", ", t.Shape)}], expected [{n}]");
            return Floats(t);
        }

        private float[] Floats(GgufTensorInfo t)
        {
            if (t.Type is not (QuantType.F32 or QuantType.F16 or QuantType.BF16))
                throw Bad(t, $"type {QuantTypeTraits.Get(t.Type).Name} is not supported here (f32, f16, bf16)");
            if (t.Elements > Array.MaxLength) throw Bad(t, $"{t.Elements} values exceed one array");
            var v = new float[t.Elements];
            QuantTypeTraits.Get(t.Type).Dequantize!(file.TensorData(t).Span, v);
            return v;
        }

        private TernaryMatrix Ternary(int layer, string name, int rows, int cols)
        {
            string full = GgufNames.Weight(layer, name);
            GgufTensorInfo t = Matrix(full, rows, cols);
            ReadOnlyMemory<byte> packed;
            float scale;
            if (QuantTypeTraits.Get(t.Type).IsTernary)
            {
                try { (packed, scale) = TernaryTensorCodec.Decode(full, rows, cols, t.Type, file.TensorData(t).Span); }
                catch (InvalidDataException e) { throw new InvalidDataException($"{file.Path}: {e.Message}", e); }
                // the engine reads its own 2-bit rows from now on: keep the file's copy out of the resident set
                file.ReleaseTensor(t);
            }
            else
            {
                TernaryMatrix fromFloats = FromFloats(t, rows, cols);
                packed = fromFloats.Packed;
                scale = fromFloats.Scale;
            }
            if (file.Find(GgufNames.Scale(layer, name)) is { } st)
            {
                // llama.cpp bitnet graph: cur = ggml_mul(cur, wq_scale) after the matmul, so wEff = d · scale.
                if (st.Elements != 1) throw Bad(st, $"shape [{string.Join(", ", st.Shape)}], expected one value");
                scale *= Floats(st)[0];
            }
            if (!float.IsFinite(scale)) throw Bad(t, $"scale {scale} is not finite");
            return new TernaryMatrix($"blk.{layer}.{name}", rows, cols, packed, scale);
        }

        /// <summary>Float weights: exact when every value is 0 or ±s for one s; otherwise absmean ternarization (noted).</summary>
        private TernaryMatrix FromFloats(GgufTensorInfo t, int rows, int cols)
        {
            float[] v = Floats(t);
            float s = 0;
            bool exact = true;
            foreach (float x in v)
            {
                if (x == 0) continue;
                float a = MathF.Abs(x);
                if (s == 0) s = a;
                else if (a != s) { exact = false; break; }
            }
            string name = t.Name[..^".weight".Length];
            if (!exact || !float.IsFinite(s))
            {
                notes?.Add($"{t.Name}: {QuantTypeTraits.Get(t.Type).Name} weights are not ternary-valued; ternarized with absmean (lossy)");
                return OneBitLlm.Ternarize(name, rows, cols, v);
            }
            var trits = new sbyte[v.Length];
            for (int i = 0; i < v.Length; i++) trits[i] = (sbyte)MathF.Sign(v[i]);
            return TernaryMatrix.FromTrits(name, rows, cols, trits, s);
        }
    }
}
