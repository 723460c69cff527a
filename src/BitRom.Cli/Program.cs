using System.CommandLine;
using System.CommandLine.Help;
using BitRom.Cli.Commands;

// bitrom: argument parsing and composition only (STYLE.md §2.8); every verb is one file under Commands/.
var root = new RootCommand("BitROM for .NET: BitNet b1.58 inference, a bit-accurate BitROM chip simulator and its cost model.");
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(ChatCommand.Create());
root.Subcommands.Add(ConvertCommand.Create());
root.Subcommands.Add(CompileCommand.Create());
root.Subcommands.Add(AnalyzeCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(PerplexityCommand.Create());
root.Subcommands.Add(LoraCommand.Create());
root.Subcommands.Add(ReproduceCommand.Create());
root.Subcommands.Add(ReportCommand.Create());
root.Subcommands.Add(SweepCommand.Create());

ParseResult parse = root.Parse(args);
if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
{
    Console.Error.WriteLine($"error: {parse.Errors[0].Message} (command line)");
    return BitRom.Cli.CliApp.ErrorExitCode;
}
return parse.Invoke();
