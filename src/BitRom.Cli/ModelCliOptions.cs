using System.CommandLine;

namespace BitRom.Cli;

/// <summary>
/// The options that choose a model (<c>--model</c>, <c>--arch</c>, <c>--zero-fraction</c>, <c>--seed</c>), with one
/// set of names, defaults and descriptions for every verb, and the one way to open what they name.
/// </summary>
internal sealed class ModelCliOptions
{
    public readonly Option<string?> Model = CommonOptions.Model();
    public readonly Option<string?> Arch = CommonOptions.Arch();
    public readonly Option<double> ZeroFraction = CommonOptions.ZeroFraction();
    public readonly Option<ulong> Seed = CommonOptions.Seed();

    public void AddTo(Command cmd)
    {
        cmd.Options.Add(Model);
        cmd.Options.Add(Arch);
        cmd.Options.Add(ZeroFraction);
        cmd.Options.Add(Seed);
    }

    /// <summary>Opens the model the options name (<see cref="ModelSource.Open"/>).</summary>
    public ModelHandle Open(ParseResult parse) =>
        ModelSource.Open(parse.GetValue(Model), parse.GetValue(Arch), parse.GetValue(Seed), parse.GetValue(ZeroFraction));
}
