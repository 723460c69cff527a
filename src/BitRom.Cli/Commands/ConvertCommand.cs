using System.CommandLine;
using System.Text.Json.Nodes;
using BitRom.Model.Formats;
using BitRom.Model.Formats.Gguf;
using BitRom.Model.Formats.Hf;
using BitRom.Numerics.Quant;
using Spectre.Console;

namespace BitRom.Cli.Commands;

/// <summary><c>bitrom convert</c>: any model the engine reads → a GGUF file with ternary weights in the chosen type.</summary>
internal static class ConvertCommand
{
    /// <summary>Ternary storage types <c>--type</c> accepts.</summary>
    private static readonly Dictionary<string, QuantType> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        ["tq2_0"] = QuantType.TQ2_0, ["tq1_0"] = QuantType.TQ1_0, ["i2_s"] = QuantType.I2_S, ["f32"] = QuantType.F32,
    };

    public static Command Create()
    {
        var input = new Option<string>("--in") { Description = "Source model: a GGUF file or an HF folder.", Required = true };
        var output = new Option<string>("--out") { Description = "GGUF file to write.", Required = true };
        var type = new Option<string>("--type")
        {
            Description = "Ternary weight type: tq2_0 (llama.cpp, 2.06 bpw), tq1_0 (llama.cpp, 1.69 bpw), i2_s (bitnet.cpp only), f32.",
            DefaultValueFactory = _ => "tq2_0",
        };
        var json = CommonOptions.Json();
        var cmd = new Command("convert", "Convert a model to GGUF (sub-norm models → bitnet arch with exact .scale tensors; Falcon3 → llama arch).")
        {
            input, output, type, json,
        };
        cmd.SetAction(parse => CliApp.Run(() =>
        {
            string inPath = parse.GetValue(input)!, outPath = parse.GetValue(output)!, typeName = parse.GetValue(type)!;
            if (!Types.TryGetValue(typeName, out QuantType qt))
                throw new ArgumentException($"--type {typeName} is not one of {string.Join(", ", Types.Keys)}");
            if (Path.GetFullPath(inPath) == Path.GetFullPath(outPath)) throw new ArgumentException("--in and --out name the same file");
            var notes = new List<string>();
            using LoadedModel m = CliApp.WithStatus($"loading {inPath}", () => ModelLoader.Load(inPath, notes));
            GgufTokenizerData? vocab = GgufTokenizerData.FromMetadata(m.Metadata, inPath)
                ?? (m.Tokenizer is null ? null
                    : GgufTokenizerData.FromTokenizer(m.Tokenizer, m.Config, Directory.Exists(inPath) ? HfTokenizerFiles.ReadChatTemplate(inPath) : null));
            if (vocab is null) notes.Add("no vocabulary written (the source has none, or a SentencePiece one, whose export is not built); llama.cpp needs one to load the file");
            CliApp.WithStatus($"writing {outPath}", () =>
            {
                GgufModelWriter.Write(outPath, m.Config, m.Weights, vocab, qt);
                return 0;
            });
            long bytes = new FileInfo(outPath).Length;
            string arch;
            using (GgufFile written = GgufFile.Open(outPath)) arch = written.Architecture ?? "";

            var table = new Table().Border(TableBorder.Rounded).AddColumn("convert").AddColumn(new TableColumn("value").RightAligned());
            table.AddRow("from", Markup.Escape(inPath));
            table.AddRow("to", Markup.Escape(outPath));
            table.AddRow("architecture", Markup.Escape(arch));
            table.AddRow("ternary type", QuantTypeTraits.Get(qt).Name);
            table.AddRow("vocabulary", vocab is null ? "none" : $"{vocab.Model}, {vocab.Tokens.Length} tokens");
            table.AddRow("bytes", bytes.ToString("N0"));
            AnsiConsole.Write(table);
            foreach (string n in notes) AnsiConsole.MarkupLine($"[yellow]note:[/] {Markup.Escape(n)}");

            CliApp.WriteJson(parse.GetValue(json), new JsonObject
            {
                ["in"] = inPath, ["out"] = outPath, ["architecture"] = arch, ["type"] = QuantTypeTraits.Get(qt).Name,
                ["model"] = m.Config.Name, ["bytes"] = bytes, ["notes"] = new JsonArray([.. notes.Select(n => (JsonNode)n)]),
            });
            return 0;
        }));
        return cmd;
    }
}
