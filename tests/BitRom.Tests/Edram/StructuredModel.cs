using BitRom.Model.Architectures;
using BitRom.Model.Synthetic;
using BitRom.Numerics.Ternary;

namespace BitRom.Tests.Edram;

/// <summary>
/// A non-random tiny model: every ternary matrix is the absmean ternarization (BitNet b1.58) of a smooth rank-4
/// product U·Vᵀ of sinusoids, so activations have correlated channels and a few large ones, as trained models do,
/// unlike i.i.d. synthetic trits. Norms and the embedding table come from the seeded synthetic model.
/// </summary>
internal static class StructuredModel
{
    public static ModelWeights Create(ModelConfig c, ulong seed = 1)
    {
        ModelWeights s = SyntheticModel.Create(c, seed);
        LayerWeights[] layers = [.. s.Layers.Select((l, i) => new LayerWeights
        {
            AttnNorm = l.AttnNorm, FfnNorm = l.FfnNorm, AttnSubNorm = l.AttnSubNorm, FfnSubNorm = l.FfnSubNorm,
            Wq = Structured(l.Wq, i), Wk = Structured(l.Wk, i), Wv = Structured(l.Wv, i), Wo = Structured(l.Wo, i),
            WGate = Structured(l.WGate, i), WUp = Structured(l.WUp, i), WDown = Structured(l.WDown, i),
        })];
        var w = new ModelWeights { Embedding = s.Embedding, Layers = layers, OutputNorm = s.OutputNorm, Output = s.Output };
        w.Validate(c);
        return w;
    }

    private static TernaryMatrix Structured(TernaryMatrix like, int layer)
    {
        int rows = like.Rows, cols = like.Cols;
        var dense = new float[rows * cols];
        int salt = like.Name.Length + 7 * layer;
        for (int n = 0; n < rows; n++)
            for (int k = 0; k < cols; k++)
            {
                double v = 0;
                for (int r = 1; r <= 4; r++)
                    v += Math.Sin(0.37 * r * n + 0.11 * salt) * Math.Cos(0.23 * r * k + 0.05 * salt * r) / r;
                dense[n * cols + k] = (float)v;
            }
        double absMean = dense.Average(Math.Abs);
        var trits = new sbyte[dense.Length];
        for (int i = 0; i < dense.Length; i++) trits[i] = (sbyte)Math.Clamp(Math.Round(dense[i] / absMean, MidpointRounding.ToEven), -1, 1);
        return TernaryMatrix.FromTrits(like.Name, rows, cols, trits, like.Scale);
    }
}
