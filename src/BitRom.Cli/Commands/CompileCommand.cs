using System.CommandLine;
using System.Text.Json.Nodes;
using BitRom.Hardware.Components;
using BitRom.Hardware.Mapping;
using BitRom.Hardware.Mask;
using BitRom.Numerics.Ternary;
using Spectre.Console;

namespace BitRom.Cli.Commands;

/// <summary><c>bitrom compile</c>: map every ternary matrix onto BiROMA macros; write the mask image and mapping report.</summary>
internal static class CompileCommand
{
    /// <summary>File names written under <c>--out</c>.</summary>
    public const string MaskFile = "rom.mask", MappingJson = "mapping.json", MappingCsv = "mapping.csv";

    public static Command Create()
    {
        var models = new ModelCliOptions();
        var json = CommonOptions.Json();
        var chip = ChipOption();
        var pack = new Option<bool>("--pack") { Description = "Pack lone blocks of different matrices into one macro's two planes (overrides the chip file)." };
        var noMask = new Option<bool>("--mapping-only") { Description = "Write only the mapping report, not the mask image (4 bits per transistor)." };
        var verify = new Option<bool>("--verify") { Description = "Read the mask image back and check every trit and the mapping against the model." };
        var output = new Option<string>("--out", "-o") { Description = "Output directory.", Required = true };
        var cmd = new Command("compile", "Compile a model's ternary matrices into BiROMA macros: mask image + mapping report.")
        {
            chip, pack, noMask, verify, output, json,
        };
        models.AddTo(cmd);
        cmd.SetAction(parse => CliApp.Run(() =>
        {
            ChipConfig config = LoadChip(parse.GetValue(chip));
            if (parse.GetValue(pack)) config = config with { Pack = true };
            using ModelHandle h = models.Open(parse);
            TernaryMatrix[] matrices = [.. h.Weights.TernaryMatrices];
            RomImage image = CliApp.WithStatus("compiling", () => RomImage.Compile(matrices, config));
            var report = new MappingReport(image.Mapping);
            string dir = parse.GetValue(output)!;
            Directory.CreateDirectory(dir);
            string maskPath = Path.Combine(dir, MaskFile);
            bool writeMask = !parse.GetValue(noMask);
            if (writeMask)
                CliApp.WithStatus($"writing {image.Mapping.Macros.Count} macros to {maskPath}", () => { MaskImage.Write(image, maskPath); return 0; });
            bool verified = writeMask && parse.GetValue(verify) && CliApp.WithStatus("verifying the mask image", () => Verify(maskPath, image, matrices));
            File.WriteAllText(Path.Combine(dir, MappingJson), report.ToJson(config.ToYaml()));
            File.WriteAllText(Path.Combine(dir, MappingCsv), report.ToCsv());

            var table = new Table().Border(TableBorder.Rounded).AddColumn("layer").AddColumn(new TableColumn("matrices").RightAligned())
                .AddColumn(new TableColumn("weights").RightAligned()).AddColumn(new TableColumn("macros").RightAligned())
                .AddColumn(new TableColumn("utilization").RightAligned());
            foreach (LayerMappingRow l in report.Layers)
                table.AddRow(l.Layer < 0 ? "-" : l.Layer.ToString(), l.Matrices.ToString(), l.Weights.ToString("N0"), l.Macros.ToString(), l.Utilization.ToString("P2"));
            table.AddRow("[bold]total[/]", matrices.Length.ToString(), image.Mapping.WeightTrits.ToString("N0"), $"[bold]{image.Mapping.Macros.Count}[/]",
                $"[bold]{image.Mapping.Utilization:P2}[/]");
            AnsiConsole.Write(table);
            var planes = report.Matrices.GroupBy(m => m.Assignment).Select(g => $"{g.Count()} {g.Key}-extension");
            AnsiConsole.MarkupLine($"{Markup.Escape(h.Source)} on {config.ArrayRows} x {config.ArrayCols} macros ({config.Name}{(config.Pack ? ", packed" : "")}): "
                + $"{string.Join(", ", planes)}; wrote {(writeMask ? MaskFile + ", " : "")}{MappingJson}, {MappingCsv} to {Markup.Escape(dir)}"
                + (verified ? "; mask read back: every trit, the mapping and the model hash match" : ""));

            CliApp.WriteJson(parse.GetValue(json), new JsonObject
            {
                ["model"] = h.Source,
                ["chip"] = config.Name,
                ["macros"] = image.Mapping.Macros.Count,
                ["utilization"] = image.Mapping.Utilization,
                ["weight_trits"] = image.Mapping.WeightTrits,
                ["model_hash"] = Convert.ToHexString(image.ModelHash),
                ["mask"] = writeMask ? maskPath : null,
                ["verified"] = verified,
            });
            return 0;
        }));
        return cmd;
    }

    /// <summary>Reads <paramref name="path"/> back; throws naming the first difference from <paramref name="image"/>.</summary>
    private static bool Verify(string path, RomImage image, TernaryMatrix[] matrices)
    {
        RomImage back = MaskImageReader.Read(path);
        if (!back.ModelHash.AsSpan().SequenceEqual(image.ModelHash)) throw new InvalidDataException($"model hash differs after reading back ({path})");
        if (!back.Mapping.Macros.SequenceEqual(image.Mapping.Macros)) throw new InvalidDataException($"macro table differs after reading back ({path})");
        for (int i = 0; i < matrices.Length; i++)
            if (!back.ReadTrits(i).AsSpan().SequenceEqual(matrices[i].ToTrits()))
                throw new InvalidDataException($"trits of '{matrices[i].Name}' differ after reading back ({path})");
        return true;
    }

    /// <summary><c>--chip C.yaml</c>: a chip file or an embedded preset name; default the paper-default chip.</summary>
    public static Option<string?> ChipOption() => new("--chip")
    {
        Description = "Chip config: a YAML file or a preset name (default: bitrom65-default).",
    };

    /// <summary>Loads <c>--chip</c>: an existing file, else an embedded preset name, else the default chip.</summary>
    public static ChipConfig LoadChip(string? chip)
    {
        if (chip is null) return ChipConfig.Default;
        if (File.Exists(chip)) return ChipConfig.Load(chip);
        if (chip.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || chip.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            throw new FileNotFoundException($"chip file not found ({chip})");
        return ChipConfig.LoadPreset(chip);
    }
}
