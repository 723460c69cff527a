using BitRom.Model.Architectures;
using BitRom.Model.Tokenizers;

namespace BitRom.Model.Formats;

/// <summary>
/// A model file or folder, loaded: blueprint, weights (possibly memory-mapped), tokenizer when the source has one,
/// the source's metadata and its path. Contract: weights stay valid until <see cref="Dispose"/>, which releases the mapping.
/// </summary>
public sealed record LoadedModel(
    ModelConfig Config,
    ModelWeights Weights,
    ITokenizer? Tokenizer,
    IReadOnlyDictionary<string, object> Metadata,
    string SourcePath) : IDisposable
{
    /// <summary>What owns the mapped memory behind <see cref="Weights"/> (null when the weights are on the heap).</summary>
    public IDisposable? Owner { get; init; }

    /// <inheritdoc />
    public void Dispose() => Owner?.Dispose();
}
