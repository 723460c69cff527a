using BitRom.Model.Architectures;
using BitRom.Model.Formats;
using BitRom.Model.Synthetic;
using BitRom.Model.Tokenizers;

namespace BitRom.Cli;

/// <summary>A model opened for a verb: blueprint, weights, tokenizer; disposing releases mapped files.</summary>
internal sealed record ModelHandle(ModelConfig Config, ModelWeights Weights, ITokenizer Tokenizer, string Source, IDisposable? Owner = null) : IDisposable
{
    /// <summary>Key/value metadata of a loaded file (GGUF keys; HF folders map theirs onto them); empty for synthetic models.</summary>
    public IReadOnlyDictionary<string, object> Metadata => (Owner as LoadedModel)?.Metadata ?? new Dictionary<string, object>();

    public void Dispose() => Owner?.Dispose();
}

/// <summary>Resolves <c>--model</c> / <c>--arch</c> / the embedded default model (DESIGN.md §2, §8).</summary>
internal static class ModelSource
{
    /// <summary>File name of the embedded default model under <c>models/</c>.</summary>
    public const string DefaultModelFile = "kjv-bitnet.gguf";

    public static ModelHandle Open(string? model, string? arch, ulong seed, double zeroFraction)
    {
        if (model is not null && arch is not null) throw new ArgumentException("give either --model or --arch, not both");
        if (arch is not null) return Synthetic(arch, seed, zeroFraction);
        if (model is not null) return Load(model);
        string? embedded = LocateDefault();
        return embedded is not null ? Load(embedded) : Synthetic(Presets.Tiny.Name, seed, zeroFraction);
    }

    private static ModelHandle Synthetic(string arch, ulong seed, double zeroFraction)
    {
        ModelConfig config = Presets.Get(arch);
        ModelWeights weights = CliApp.WithStatus($"generating synthetic {config.Name} weights", () => SyntheticModel.Create(config, seed, zeroFraction));
        return new ModelHandle(config, weights, new ByteTokenizer(Math.Max(config.VocabSize, 256), config.BosToken, config.EosToken), $"--arch {config.Name} (seed {seed})");
    }

    private static ModelHandle Load(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) throw new FileNotFoundException($"model not found ({path})");
        LoadedModel m = CliApp.WithStatus($"loading {Path.GetFileName(path)}", () => ModelLoader.Load(path));
        ITokenizer tokenizer = m.Tokenizer
            ?? (m.Metadata.ContainsKey(GgufVocab.Prefix + "tokens") ? GgufVocab.Create(m.Metadata)
            : new ByteTokenizer(Math.Max(m.Config.VocabSize, 256), m.Config.BosToken, m.Config.EosToken));
        return new ModelHandle(m.Config, m.Weights, tokenizer, path, m);
    }

    /// <summary>Finds <c>models/kjv-bitnet.gguf</c> above the working directory or the executable.</summary>
    public static string? LocateDefault()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? d = new(start); d is not null; d = d.Parent)
            {
                string candidate = Path.Combine(d.FullName, "models", DefaultModelFile);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }
}
