using BitRom.Model.Inference;

namespace BitRom.Model.Architectures;

/// <summary>
/// One transformer block of a family: reads the residual stream <see cref="ForwardContext.X"/> and adds to it.
/// Contract: a block mutates only the context's buffers and the KV cache at the context's positions.
/// </summary>
public interface IBlock
{
    /// <summary>Runs block <paramref name="layer"/> over the context's tokens.</summary>
    void Forward(ForwardContext ctx, LayerWeights layer);
}
