using BitRom.Hardware.Cost;
using BitRom.Model.Architectures;

namespace BitRom.Reports;

/// <summary>Model → plain Hardware records: the only place a <see cref="ModelConfig"/> becomes a <see cref="ModelShape"/>.</summary>
public static class ModelShapes
{
    /// <summary>Default zero fraction of synthetic ternary weights (DESIGN.md §2: 1/3).</summary>
    public const double DefaultZeroFraction = BitRom.Model.Synthetic.SyntheticModel.DefaultZeroFraction;

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

    /// <summary>Fraction of zero trits over every ternary matrix of <paramref name="weights"/> (the model's own zero fraction).</summary>
    public static double MeasuredZeroFraction(ModelWeights weights)
    {
        // zero trit = code 1 (trit + 1); count per byte with a table, only the first Cols codes of each row (padding codes are 0)
        Span<byte> zerosInByte = stackalloc byte[256];
        for (int b = 0; b < 256; b++)
            for (int j = 0; j < 4; j++)
                if (((b >> (2 * j)) & 3) == 1) zerosInByte[b]++;
        long zeros = 0, total = 0;
        foreach (var m in weights.TernaryMatrices)
        {
            int full = m.Cols / 4, tail = m.Cols % 4;
            for (int n = 0; n < m.Rows; n++)
            {
                ReadOnlySpan<byte> row = m.Row(n);
                for (int i = 0; i < full; i++) zeros += zerosInByte[row[i]];
                for (int j = 0; j < tail; j++) if (((row[full] >> (2 * j)) & 3) == 1) zeros++;
            }
            total += (long)m.Rows * m.Cols;
        }
        return total == 0 ? 0 : (double)zeros / total;
    }
}
