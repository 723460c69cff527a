using System.CommandLine;
using BitRom.Hardware.Components;
using BitRom.Model.Architectures;
using BitRom.Model.Lora;

namespace BitRom.Cli;

/// <summary>The LoRA options of <c>bitrom run</c> and <c>bitrom lora apply</c> (DESIGN.md §5.7).</summary>
internal sealed class LoraCliOptions
{
    public readonly Option<string[]> Files = new("--lora") { Description = "LoRA adapter (safetensors, <module>.lora_a [K,r] / .lora_b [r,N]); a JSON sidecar may give r, lora_alpha, target_modules.", AllowMultipleArgumentsPerToken = false };
    public readonly Option<float?> Alpha = new("--lora-alpha") { Description = "LoRA alpha (default: sidecar, else 32)." };
    public readonly Option<int?> Rank = new("--lora-rank") { Description = "LoRA rank r (default: sidecar, else the tensors')." };
    public readonly Option<string?> Quant = new("--lora-quant") { Description = "LoRA arithmetic: fp | w6a8 | ternary (default: sidecar, else w6a8)." };

    public void AddTo(Command cmd)
    {
        foreach (Option o in new Option[] { Files, Alpha, Rank, Quant }) cmd.Options.Add(o);
    }

    /// <summary>Loads every <c>--lora</c> file, checked against the model.</summary>
    public IReadOnlyList<LoraAdapter> Load(ParseResult p, ModelConfig config)
    {
        var options = new LoraOptions
        {
            Alpha = p.GetValue(Alpha), Rank = p.GetValue(Rank),
            Quantization = p.GetValue(Quant) is { } q ? LoraOptions.ParseQuantization(q) : null,
        };
        return [.. (p.GetValue(Files) ?? []).Select(f => LoraAdapterFile.Load(f, options).Validate(config))];
    }

    /// <summary>LoRA unit counts of <paramref name="a"/>: 6-bit weights for W6A8, 2-bit for ternary, bf16 for fp.</summary>
    public static LoraUnitCounts Counts(LoraAdapter a) => LoraUnit.Count(
        a.Modules.Select(m => new LoraModuleShape(m.K, m.N, m.Rank)),
        new LoraUnitConfig { WeightBits = a.Quantization switch { LoraQuantization.W6A8 => 6, LoraQuantization.Ternary => 2, _ => 16 } });
}
