using BitRom.Model.Architectures;
using BitRom.Model.Tokenizers;

namespace BitRom.Model.Formats.Hf;

/// <summary>Finds and loads the tokenizer files of an HF folder.</summary>
public static class HfTokenizerFiles
{
    /// <summary>The folder's tokenizer, or null when it has none.</summary>
    public static ITokenizer? TryLoad(string directory, ModelConfig config) => null;
}
