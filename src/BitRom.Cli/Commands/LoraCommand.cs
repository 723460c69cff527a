using System.CommandLine;
using System.Text.Json.Nodes;
using BitRom.Hardware.Mapping;
using BitRom.Model.Inference;
using BitRom.Model.Lora;
using Spectre.Console;

namespace BitRom.Cli.Commands;

/// <summary><c>bitrom lora apply</c> (train and eval: <see cref="LoraTrainCommand"/>): the same prompt without and with each adapter, switched at run time on one model.</summary>
internal static class LoraCommand
{
    public static Command Create()
    {
        var cmd = new Command("lora", "LoRA adapters on a frozen ternary model (DESIGN.md §5.7).");
        cmd.Subcommands.Add(Apply());
        cmd.Subcommands.Add(LoraTrainCommand.Train());
        cmd.Subcommands.Add(LoraTrainCommand.Eval());
        return cmd;
    }

    private static Command Apply()
    {
        var models = new ModelCliOptions();
        var json = CommonOptions.Json();
        var threads = CommonOptions.Threads();
        var prompt = new Option<string>("--prompt", "-p") { Description = "Prompt text.", DefaultValueFactory = _ => "In the beginning" };
        var count = new Option<int>("-n", "--tokens") { Description = "Tokens to generate (greedy).", DefaultValueFactory = _ => 32 };
        var lora = new LoraCliOptions();
        var cmd = new Command("apply", "Generate greedily without and with each --lora adapter; print the texts, the logit change and the ROM hash.")
        {
            prompt, count, threads, json,
        };
        models.AddTo(cmd);
        lora.AddTo(cmd);
        cmd.SetAction(parse => CliApp.Run(() =>
        {
            using ModelHandle h = models.Open(parse);
            var adapters = lora.Load(parse, h.Config);
            if (adapters.Count == 0) throw new ArgumentException("give at least one --lora adapter");
            var set = new LoraAdapterSet();
            foreach (LoraAdapter a in adapters) set.Add(a);
            string promptText = parse.GetValue(prompt)!;
            int n = parse.GetValue(count);
            string romBefore = Convert.ToHexString(RomImage.HashModel(h.Weights.TernaryMatrices));

            var transformer = new Transformer(h.Config, h.Weights, Backends.Create("engine", parse.GetValue(threads))) { Adapter = set };
            var generator = new Generator(transformer, h.Tokenizer);
            var greedy = new SamplerOptions { Temperature = 0, RepetitionPenalty = 1, TopK = 0, TopP = 1 }.Validate();
            int[] promptIds = [.. h.Tokenizer.Encode(promptText, addBos: true)];

            var results = new JsonArray();
            var table = new Table().Border(TableBorder.Rounded).AddColumn("adapter").AddColumn("max |Δ logit|").AddColumn("output");
            float[]? bare = null;
            foreach (string? name in new string?[] { null }.Concat(set.Names))
            {
                set.Activate(name);
                float[] last = transformer.Forward(promptIds, 0).ToArray();
                bare ??= last;
                double delta = last.Zip(bare).Max(p => Math.Abs(p.First - p.Second));
                GenerationResult r = generator.Generate(promptIds, n, greedy);
                string label = name is null ? "(none)" : $"{name} (r {set.Active!.Rank}, alpha {set.Active.Alpha}, {set.Active.Quantization.ToString().ToLowerInvariant()})";
                table.AddRow(Markup.Escape(label), delta.ToString("G4"), Markup.Escape(promptText + r.Text));
                results.Add(new JsonObject { ["adapter"] = name, ["max_abs_logit_delta"] = delta, ["text"] = r.Text, ["tokens"] = new JsonArray([.. r.GeneratedTokens.Select(t => (JsonNode)t)]) });
            }
            string romAfter = Convert.ToHexString(RomImage.HashModel(h.Weights.TernaryMatrices));
            if (romAfter != romBefore) throw new InvalidOperationException("the ternary weights changed while switching adapters");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"ROM model hash (all ternary matrices) before and after switching: [bold]{romAfter[..16]}…[/] (unchanged)");

            CliApp.WriteJson(parse.GetValue(json), new JsonObject
            {
                ["model"] = h.Source, ["prompt"] = promptText, ["rom_model_hash"] = romAfter, ["runs"] = results,
            });
            return 0;
        }));
        return cmd;
    }
}
