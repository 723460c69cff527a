using BitRom.Model.Architectures;
using BitRom.Model.Formats.Safetensors;
using BitRom.Model.Tokenizers;

namespace BitRom.Model.Formats.Hf;

/// <summary>
/// Loads an HF model folder (<c>config.json</c>, <c>model.safetensors</c> or shards + index, and the tokenizer files)
/// in any of the three published BitNet layouts (FORMATS.md §2).
/// </summary>
public static class HfModelLoader
{
    /// <summary>Loads <paramref name="directory"/>; weights stay memory-mapped until the result is disposed.</summary>
    public static LoadedModel Load(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"{directory}: not a folder");
        HfConfig hf = HfConfig.Load(directory);
        ModelConfig config = hf.ToModelConfig(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))));
        SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.Open(directory);
        try
        {
            ModelWeights weights = HfWeightReader.Read(ckpt, hf, config);
            ITokenizer? tokenizer = HfTokenizerFiles.TryLoad(directory, config);
            var metadata = new Dictionary<string, object>
            {
                ["hf.architecture"] = hf.Architecture,
                ["hf.model_type"] = hf.ModelType,
                ["hf.linear_class"] = hf.LinearClass == HfLinearClass.AutoBitLinear ? "autobitlinear" : "bitlinear",
                ["hf.quant_method"] = hf.QuantMethod ?? "",
                ["hf.shards"] = ckpt.Files.Count,
            };
            // Same key as GGUF's, so chat code reads one place for both formats.
            if (HfTokenizerFiles.ReadChatTemplate(directory) is string template) metadata["tokenizer.chat_template"] = template;
            return new LoadedModel(config, weights, tokenizer, metadata, directory) { Owner = ckpt };
        }
        catch
        {
            ckpt.Dispose();
            throw;
        }
    }
}
