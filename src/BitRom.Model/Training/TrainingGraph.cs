using BitRom.Model.Architectures;
using BitRom.Model.Lora;

namespace BitRom.Model.Training;

/// <summary>
/// Forward and backward of a whole model over a batch of sequences (batch, seq) that start at position 0,
/// with every activation the backward pass needs kept per layer (llm.c <c>ActivationTensors</c>).
/// Wiring per block, as <see cref="BitNetB158"/> (with sub-norms) and <see cref="Falcon3"/> (without):
/// attn_norm → q, k, v → RoPE → causal GQA → [attn_sub_norm] → o → residual → ffn_norm → gate, up →
/// act(gate)·up → [ffn_sub_norm] → down → residual; then output_norm and the (tied or untied) head.
/// </summary>
public sealed partial class TrainingGraph
{
    private readonly TrainableModel _model;
    private readonly ModelConfig _c;
    private readonly TrainingAttention _attention;
    private readonly LayerState[] _layers;
    private readonly Dictionary<Parameter, LinearOperand> _operands = [];
    private readonly float[] _xOut, _xFinal, _invFinal, _headT, _logits, _dlogits, _tmpD;
    private int[] _inputs = [], _targets = [];

    /// <summary>
    /// Allocates every buffer for <paramref name="batch"/> sequences of <paramref name="seqLen"/> tokens, with an
    /// optional LoRA branch <paramref name="lora"/> on the model's BitLinear layers.
    /// </summary>
    public TrainingGraph(TrainableModel model, int batch, int seqLen, bool fakeQuant = true, TrainableLora? lora = null)
    {
        if (batch <= 0 || seqLen <= 0) throw new ArgumentException($"batch {batch} x seq {seqLen} must be positive");
        if (seqLen > model.Config.MaxSeqLen) throw new ArgumentException($"sequence length {seqLen} exceeds the model's {model.Config.MaxSeqLen}");
        _model = model;
        _c = model.Config;
        Batch = batch;
        SeqLen = seqLen;
        FakeQuant = fakeQuant;
        Lora = lora;
        _attention = new TrainingAttention(_c, seqLen);
        int m = Rows;
        _layers = new LayerState[_c.Layers];
        for (int l = 0; l < _c.Layers; l++) _layers[l] = new LayerState(_c, m, batch, seqLen);
        foreach (Parameter p in model.Parameters) if (p.Ternary) _operands[p] = new LinearOperand(p);
        _xOut = new float[m * _c.Dim];
        _xFinal = new float[m * _c.Dim];
        _invFinal = new float[m];
        _tmpD = new float[m * _c.Dim];
        _headT = new float[_c.VocabSize * _c.Dim];
        _logits = new float[m * _c.VocabSize];
        _dlogits = new float[m * _c.VocabSize];
        AllocateBackward();
        AllocateLora(Math.Max(Math.Max(_c.Dim, _c.QDim), _c.HiddenDim));
        PrepareWeights();
    }

    /// <summary>Sequences per batch.</summary>
    public int Batch { get; }
    /// <summary>Tokens per sequence.</summary>
    public int SeqLen { get; }
    /// <summary>Rows = Batch · SeqLen.</summary>
    public int Rows => Batch * SeqLen;
    /// <summary>Weight ternarization and activation int8 quantization in the forward pass (off only for gradient checks).</summary>
    public bool FakeQuant { get; }
    /// <summary>The model.</summary>
    public TrainableModel Model => _model;
    /// <summary>Logits of the last forward, (Rows, VocabSize).</summary>
    public ReadOnlySpan<float> Logits => _logits;

    /// <summary>Recomputes the ternary operands and the transposed head from the master weights (after every update).</summary>
    public void PrepareWeights()
    {
        Parallel.ForEach(_operands.Values, o => o.Prepare(FakeQuant));
        Gemm.Transpose(_model.Head.W, _headT, _c.VocabSize, _c.Dim);
    }

    /// <summary>
    /// Runs the model over <paramref name="inputs"/> (Rows ids) and returns the summed cross-entropy against
    /// <paramref name="targets"/> (−1 = not scored) and the scored count. With <paramref name="forTraining"/> it
    /// also keeps d(loss)/d(logits) of the mean loss for <see cref="Backward"/>.
    /// </summary>
    public (double Sum, int Count) Forward(int[] inputs, int[] targets, bool forTraining)
    {
        ModelConfig c = _c;
        int m = Rows, d = c.Dim;
        if (inputs.Length < m || targets.Length < m) throw new ArgumentException($"need {m} inputs and targets, got {inputs.Length} and {targets.Length}");
        _inputs = inputs;
        _targets = targets;

        // token embedding
        float[] x = _layers[0].XIn;
        for (int r = 0; r < m; r++)
        {
            if ((uint)inputs[r] >= (uint)c.VocabSize) throw new ArgumentException($"token id {inputs[r]} at row {r} outside the vocabulary of {c.VocabSize}");
            Array.Copy(_model.Embedding.W, inputs[r] * d, x, r * d, d);
        }

        // the blocks
        for (int l = 0; l < c.Layers; l++)
            BlockForward(l, _layers[l], _model.Layers[l], l + 1 < c.Layers ? _layers[l + 1].XIn : _xOut);

        // final rmsnorm, head, loss
        TrainingOps.RmsNormForward(_xOut, _model.OutputNorm.W, c.NormEps, _xFinal, _invFinal, m);
        Gemm.Multiply(_xFinal, _headT, _logits, m, d, c.VocabSize, accumulate: false);
        return TrainingOps.CrossEntropy(_logits, targets, m, c.VocabSize, forTraining ? _dlogits : null);
    }

    private void BlockForward(int l, LayerState s, LayerParameters w, float[] xNext)
    {
        ModelConfig c = _c;
        int m = Rows, dim = c.Dim;

        // attention rmsnorm, q k v, RoPE
        TrainingOps.RmsNormForward(s.XIn, w.AttnNorm.W, c.NormEps, s.N1, s.Inv1, m);
        s.In1.Quantize(s.N1, m, FakeQuant);
        StraightThroughLinear.Forward(_operands[w.Wq], s.In1, m, s.Q);
        LoraForward(l, LoraTarget.QProj, s.N1, s.Q);
        StraightThroughLinear.Forward(_operands[w.Wk], s.In1, m, s.K);
        LoraForward(l, LoraTarget.KProj, s.N1, s.K);
        StraightThroughLinear.Forward(_operands[w.Wv], s.In1, m, s.V);
        LoraForward(l, LoraTarget.VProj, s.N1, s.V);
        _attention.Rotate(s.Q, m, c.Heads, inverse: false);
        _attention.Rotate(s.K, m, c.KvHeads, inverse: false);

        // causal GQA attention, [attn_sub_norm], o_proj, residual
        _attention.Forward(s.Q, s.K, s.V, s.Probs, s.Att, Batch);
        if (w.AttnSubNorm is not null) TrainingOps.RmsNormForward(s.Att, w.AttnSubNorm.W, c.NormEps, s.Sub1, s.InvSub1, m);
        s.In2.Quantize(w.AttnSubNorm is not null ? s.Sub1 : s.Att, m, FakeQuant);
        StraightThroughLinear.Forward(_operands[w.Wo], s.In2, m, _tmpD);
        LoraForward(l, LoraTarget.OProj, w.AttnSubNorm is not null ? s.Sub1 : s.Att, _tmpD);
        for (int i = 0; i < m * dim; i++) s.X2[i] = s.XIn[i] + _tmpD[i];

        // ffn rmsnorm, gate and up, act(gate)·up, [ffn_sub_norm], down_proj, residual
        TrainingOps.RmsNormForward(s.X2, w.FfnNorm.W, c.NormEps, s.N2, s.Inv2, m);
        s.In3.Quantize(s.N2, m, FakeQuant);
        StraightThroughLinear.Forward(_operands[w.WGate], s.In3, m, s.Gate);
        LoraForward(l, LoraTarget.GateProj, s.N2, s.Gate);
        StraightThroughLinear.Forward(_operands[w.WUp], s.In3, m, s.Up);
        LoraForward(l, LoraTarget.UpProj, s.N2, s.Up);
        TrainingOps.GateForward(c.Activation, s.Gate, s.Up, s.Act, m * c.HiddenDim);
        if (w.FfnSubNorm is not null) TrainingOps.RmsNormForward(s.Act, w.FfnSubNorm.W, c.NormEps, s.Sub2, s.InvSub2, m);
        s.In4.Quantize(w.FfnSubNorm is not null ? s.Sub2 : s.Act, m, FakeQuant);
        StraightThroughLinear.Forward(_operands[w.WDown], s.In4, m, _tmpD);
        LoraForward(l, LoraTarget.DownProj, w.FfnSubNorm is not null ? s.Sub2 : s.Act, _tmpD);
        for (int i = 0; i < m * dim; i++) xNext[i] = s.X2[i] + _tmpD[i];
    }

    /// <summary>Per-layer activations kept for the backward pass; shapes (rows, width).</summary>
    private sealed class LayerState
    {
        public LayerState(ModelConfig c, int m, int batch, int seqLen)
        {
            XIn = new float[m * c.Dim]; N1 = new float[m * c.Dim]; Inv1 = new float[m];
            In1 = new QuantizedInput(m, c.Dim);
            Q = new float[m * c.QDim]; K = new float[m * c.KvDim]; V = new float[m * c.KvDim];
            Probs = new float[(long)batch * c.Heads * seqLen * seqLen];
            Att = new float[m * c.QDim]; Sub1 = c.SubNorms ? new float[m * c.QDim] : []; InvSub1 = new float[m];
            In2 = new QuantizedInput(m, c.QDim);
            X2 = new float[m * c.Dim]; N2 = new float[m * c.Dim]; Inv2 = new float[m];
            In3 = new QuantizedInput(m, c.Dim);
            Gate = new float[m * c.HiddenDim]; Up = new float[m * c.HiddenDim]; Act = new float[m * c.HiddenDim];
            Sub2 = c.SubNorms ? new float[m * c.HiddenDim] : []; InvSub2 = new float[m];
            In4 = new QuantizedInput(m, c.HiddenDim);
        }

        public readonly float[] XIn, N1, Inv1, Q, K, V, Probs, Att, Sub1, InvSub1, X2, N2, Inv2, Gate, Up, Act, Sub2, InvSub2;
        public readonly QuantizedInput In1, In2, In3, In4;
    }
}
