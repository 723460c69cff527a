namespace BitRom.Model.Inference;

/// <summary>
/// Observes a named activation as the forward pass produces it (llama.cpp <c>cb(cur, "attn_norm", il)</c>):
/// <paramref name="values"/> holds <paramref name="tokens"/> rows. Layer −1 marks tensors outside the blocks.
/// Tests compare layers with it; the simulator and analyses read activations through it.
/// </summary>
public delegate void ActivationTap(string name, int layer, ReadOnlySpan<float> values, int tokens);
