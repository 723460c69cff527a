using BitRom.Model.Formats.Gguf;
using BitRom.Model.Tokenizers.Training;
using BitRom.Numerics.Quant;

namespace BitRom.Model.Training;

/// <summary>
/// Writes a trained model as a GGUF file in llama.cpp's <c>bitnet</c> architecture: the trits of
/// <see cref="BitRom.Model.Architectures.OneBitLlm.Ternarize"/> (exactly those the trainer's forward pass used) as TQ2_0
/// with d = 1, the exact per-tensor scale as F32 <c>.scale</c> tensors, F32 norms and embedding, and the BPE vocabulary
/// as a <c>gpt2</c> tokenizer (FORMATS.md §3.4).
/// </summary>
public static class TrainedModelExport
{
    /// <summary>The GGUF tokenizer metadata of a trained vocabulary (BOS added to every prompt, as in training).</summary>
    public static GgufTokenizerData TokenizerData(BpeVocabulary vocab) =>
        new GgufTokenizerData("gpt2", [.. vocab.Tokens], vocab.TokenTypes())
        {
            Merges = vocab.MergeStrings(), Pre = BytePieces.PreName, BosId = vocab.Bos, EosId = vocab.Eos, AddBos = true,
        }.Validate();

    /// <summary>Exports <paramref name="model"/> with its vocabulary to <paramref name="path"/>.</summary>
    public static void WriteGguf(string path, TrainableModel model, BpeVocabulary vocab)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        GgufModelWriter.Write(path, model.Config, model.ToModelWeights(), TokenizerData(vocab), QuantType.TQ2_0);
    }
}
