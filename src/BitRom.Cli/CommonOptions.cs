using System.CommandLine;

namespace BitRom.Cli;

/// <summary>Options several verbs share, so each has one name, one default and one description.</summary>
internal static class CommonOptions
{
    public static Option<string?> Model() => new("--model", "-m")
    {
        Description = "Model: a GGUF file or a Hugging Face folder (config.json + *.safetensors). Default: the embedded model.",
    };

    public static Option<string?> Arch() => new("--arch")
    {
        Description = "Synthetic weights at a named model's shapes (e.g. bitnet-b1.58-2b-4t, falcon3-1b-1.58bit, tiny).",
    };

    public static Option<double> ZeroFraction() => new("--zero-fraction")
    {
        Description = "Fraction of zero trits in synthetic weights.",
        DefaultValueFactory = _ => BitRom.Model.Synthetic.SyntheticModel.DefaultZeroFraction,
    };

    public static Option<ulong> Seed() => new("--seed")
    {
        Description = "Seed for synthetic weights and sampling.",
        DefaultValueFactory = _ => 1UL,
    };

    public static Option<string?> Json() => new("--json")
    {
        Description = "Also write machine-readable results to this file.",
    };

    public static Option<int> Threads() => new("--threads", "-t")
    {
        Description = "Worker threads (default: all cores).",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };
}
