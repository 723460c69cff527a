using System.CommandLine;
using BitRom.Model.Inference;

namespace BitRom.Cli;

/// <summary>The sampling options of the generating verbs (run, chat), with one set of names and defaults.</summary>
internal sealed class SamplingCliOptions
{
    public readonly Option<float> Temperature = new("--temperature") { Description = "Sampling temperature; 0 = greedy.", DefaultValueFactory = _ => 0.8f };
    public readonly Option<int> TopK = new("--top-k") { Description = "Keep the k most likely tokens (0 = all).", DefaultValueFactory = _ => 40 };
    public readonly Option<float> TopP = new("--top-p") { Description = "Nucleus sampling mass.", DefaultValueFactory = _ => 0.95f };
    public readonly Option<float> Penalty = new("--repeat-penalty") { Description = "Repetition penalty (1 = off).", DefaultValueFactory = _ => 1.1f };

    public void AddTo(Command cmd)
    {
        cmd.Options.Add(Temperature);
        cmd.Options.Add(TopK);
        cmd.Options.Add(TopP);
        cmd.Options.Add(Penalty);
    }

    public SamplerOptions Read(ParseResult parse, ulong seed) => new SamplerOptions
    {
        Temperature = parse.GetValue(Temperature), TopK = parse.GetValue(TopK), TopP = parse.GetValue(TopP),
        RepetitionPenalty = parse.GetValue(Penalty), Seed = seed,
    }.Validate();
}
