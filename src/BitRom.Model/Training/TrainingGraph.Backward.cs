using BitRom.Model.Architectures;
using BitRom.Model.Lora;

namespace BitRom.Model.Training;

public sealed partial class TrainingGraph
{
    // Backward scratch, (Rows, width) each; _lin/_linT serve StraightThroughLinear.Backward.
    private float[] _dx = [], _dxFinal = [], _dNorm = [], _dNormX = [], _dQ = [], _dK = [], _dV = [], _dAtt = [], _dSrc = [];
    private float[] _dGate = [], _dUp = [], _dAct = [], _lin = [], _linT = [], _dlogitsT = [];

    private void AllocateBackward()
    {
        ModelConfig c = _c;
        int m = Rows, wide = Math.Max(Math.Max(c.Dim, c.QDim), c.HiddenDim);
        _dx = new float[m * c.Dim];
        _dxFinal = new float[m * c.Dim];
        _dNorm = new float[m * c.Dim];
        _dNormX = new float[m * c.Dim];
        _dQ = new float[m * c.QDim];
        _dK = new float[m * c.KvDim];
        _dV = new float[m * c.KvDim];
        _dAtt = new float[m * c.QDim];
        _dSrc = new float[m * wide];
        _dGate = new float[m * c.HiddenDim];
        _dUp = new float[m * c.HiddenDim];
        _dAct = new float[m * c.HiddenDim];
        _lin = new float[m * wide];
        _linT = new float[m * wide];
        _dlogitsT = new float[m * c.VocabSize];
    }

    /// <summary>
    /// Adds the gradient of the mean loss of the last <see cref="Forward"/> (called with forTraining) to every
    /// parameter's <see cref="Parameter.G"/>.
    /// </summary>
    public void Backward()
    {
        ModelConfig c = _c;
        int m = Rows, d = c.Dim, v = c.VocabSize;

        // head: d(x_final) = dlogits · Head; dHead += dlogitsᵀ · x_final
        Gemm.Multiply(_dlogits, _model.Head.W, _dxFinal, m, v, d, accumulate: false);
        if (!_model.Head.Frozen)
        {
            Gemm.Transpose(_dlogits, _dlogitsT, m, v);
            Gemm.Multiply(_dlogitsT, _xFinal, _model.Head.G, v, m, d, accumulate: true);
        }

        // final rmsnorm
        TrainingOps.RmsNormBackward(_xOut, _model.OutputNorm.W, _invFinal, _dxFinal, _dx, _model.OutputNorm.G, m);

        // the blocks, last first; _dx is d(loss)/d(residual stream)
        for (int l = c.Layers - 1; l >= 0; l--) BlockBackward(l, _layers[l], _model.Layers[l]);

        // token embedding
        if (_model.Embedding.Frozen) return;
        float[] g = _model.Embedding.G;
        for (int r = 0; r < m; r++)
        {
            int row = _inputs[r] * d;
            for (int i = 0; i < d; i++) g[row + i] += _dx[r * d + i];
        }
    }

    private void BlockBackward(int l, LayerState s, LayerParameters w)
    {
        ModelConfig c = _c;
        int m = Rows, h = c.HiddenDim;

        // down_proj, [ffn_sub_norm], act(gate)·up, gate and up, ffn rmsnorm; add into the residual gradient
        StraightThroughLinear.Backward(_operands[w.WDown], s.In4, m, _dx, _dSrc, false, _lin, _linT);
        LoraBackward(l, LoraTarget.DownProj, w.FfnSubNorm is not null ? s.Sub2 : s.Act, _dx, _dSrc);
        if (w.FfnSubNorm is not null) TrainingOps.RmsNormBackward(s.Act, w.FfnSubNorm.W, s.InvSub2, _dSrc, _dAct, w.FfnSubNorm.G, m);
        else Array.Copy(_dSrc, _dAct, m * h);
        TrainingOps.GateBackward(c.Activation, s.Gate, s.Up, _dAct, _dGate, _dUp, m * h);
        StraightThroughLinear.Backward(_operands[w.WGate], s.In3, m, _dGate, _dNorm, false, _lin, _linT);
        LoraBackward(l, LoraTarget.GateProj, s.N2, _dGate, _dNorm);
        StraightThroughLinear.Backward(_operands[w.WUp], s.In3, m, _dUp, _dNorm, true, _lin, _linT);
        LoraBackward(l, LoraTarget.UpProj, s.N2, _dUp, _dNorm);
        TrainingOps.RmsNormBackward(s.X2, w.FfnNorm.W, s.Inv2, _dNorm, _dNormX, w.FfnNorm.G, m);
        AddInto(_dx, _dNormX, m * c.Dim);

        // o_proj, [attn_sub_norm], attention, RoPE, q k v, attention rmsnorm
        StraightThroughLinear.Backward(_operands[w.Wo], s.In2, m, _dx, _dSrc, false, _lin, _linT);
        LoraBackward(l, LoraTarget.OProj, w.AttnSubNorm is not null ? s.Sub1 : s.Att, _dx, _dSrc);
        if (w.AttnSubNorm is not null) TrainingOps.RmsNormBackward(s.Att, w.AttnSubNorm.W, s.InvSub1, _dSrc, _dAtt, w.AttnSubNorm.G, m);
        else Array.Copy(_dSrc, _dAtt, m * c.QDim);
        _attention.Backward(s.Q, s.K, s.V, s.Probs, _dAtt, _dQ, _dK, _dV, Batch);
        _attention.Rotate(_dQ, m, c.Heads, inverse: true);
        _attention.Rotate(_dK, m, c.KvHeads, inverse: true);
        StraightThroughLinear.Backward(_operands[w.Wq], s.In1, m, _dQ, _dNorm, false, _lin, _linT);
        LoraBackward(l, LoraTarget.QProj, s.N1, _dQ, _dNorm);
        StraightThroughLinear.Backward(_operands[w.Wk], s.In1, m, _dK, _dNorm, true, _lin, _linT);
        LoraBackward(l, LoraTarget.KProj, s.N1, _dK, _dNorm);
        StraightThroughLinear.Backward(_operands[w.Wv], s.In1, m, _dV, _dNorm, true, _lin, _linT);
        LoraBackward(l, LoraTarget.VProj, s.N1, _dV, _dNorm);
        TrainingOps.RmsNormBackward(s.XIn, w.AttnNorm.W, s.Inv1, _dNorm, _dNormX, w.AttnNorm.G, m);
        AddInto(_dx, _dNormX, m * c.Dim);
    }

    private static void AddInto(float[] acc, float[] delta, int n)
    {
        for (int i = 0; i < n; i++) acc[i] += delta[i];
    }
}
