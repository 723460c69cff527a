using BitRom.Model.Tokenizers.Training;

namespace BitRom.Model.Training;

/// <summary>Writes a trained model as a GGUF file in llama.cpp's <c>bitnet</c> architecture (TQ2_0 trits, F32 scales, tokenizer inside).</summary>
public static class TrainedModelExport
{
    /// <summary>Exports <paramref name="model"/> with its vocabulary to <paramref name="path"/>.</summary>
    public static void WriteGguf(string path, TrainableModel model, BpeVocabulary vocab)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(vocab);
        throw new NotSupportedException($"GGUF writer not available yet; the checkpoint holds the model ({path})");
    }
}
