using BitRom.Hardware.Cost;
using BitRom.Model.Architectures;

namespace BitRom.Reports;

/// <summary>Model → plain Hardware records: the only place a <see cref="ModelConfig"/> becomes a <see cref="ModelShape"/>.</summary>
public static class ModelShapes
{
    /// <summary>Default zero fraction of synthetic ternary weights (DESIGN.md §2: 1/3).</summary>
    public const double DefaultZeroFraction = 1.0 / 3;

    /// <summary>The shape of <paramref name="c"/> with an expected zero fraction.</summary>
    public static ModelShape From(ModelConfig c, double zeroFraction = DefaultZeroFraction) =>
        new ModelShape(c.Name, c.Layers, c.Dim, c.Heads, c.KvHeads, c.HeadDim, c.HiddenDim, c.VocabSize, zeroFraction, c.SubNorms, c.TiedEmbeddings).Validate();

    /// <summary>The named architectures of DESIGN.md §2 (the test models excluded).</summary>
    public static IReadOnlyList<ModelConfig> Named => Presets.All.Where(c => !c.Name.StartsWith("tiny", StringComparison.Ordinal)).ToList();

    /// <summary>The scenario of <c>reproduce</c>: Falcon3-7B (the authors' default base) for efficiency, Falcon3-1B for DRAM, LLaMA-7B for area.</summary>
    public static PaperScenario PaperScenario(ChipArchitecture? chip = null) => new(
        From(Presets.Falcon3_7B), From(Presets.Falcon3_1B), new Workload(PaperPromptLen, PaperGenLen), chip ?? ChipArchitecture.Default, From(Presets.Llama7BTernary));

    /// <summary>Prompt length of the DRAM scenario [model choice: a short edge chat turn].</summary>
    public const int PaperPromptLen = 64;

    /// <summary>Generation length of the DRAM scenario [model choice].</summary>
    public const int PaperGenLen = 128;
}
