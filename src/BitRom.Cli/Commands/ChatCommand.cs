using System.CommandLine;
using BitRom.Model.Inference;
using BitRom.Model.Tokenizers;
using BitRom.Numerics.Kernels;

namespace BitRom.Cli.Commands;

/// <summary>
/// <c>bitrom chat</c>: interactive generation. Lines from stdin are user turns; the model's chat template
/// (GGUF <c>tokenizer.chat_template</c> or HF tokenizer_config.json) frames them when it declares one, else the
/// conversation is plain continuation. An empty line, <c>/exit</c> or end of input ends the session.
/// </summary>
internal static class ChatCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var arch = CommonOptions.Arch();
        var zeroFraction = CommonOptions.ZeroFraction();
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var sampling = new SamplingCliOptions();
        var count = new Option<int>("-n", "--tokens") { Description = "Most tokens per reply.", DefaultValueFactory = _ => 128 };
        var system = new Option<string?>("--system") { Description = "System message (templates that have a system role)." };
        var context = new Option<int>("--context") { Description = "KV cache positions (default: the model's maximum, at most 4096)." };

        var cmd = new Command("chat", "Interactive generation; uses the model's chat template when it declares one.")
        {
            model, arch, zeroFraction, seed, threads, count, system, context,
        };
        sampling.AddTo(cmd);
        cmd.SetAction(parse => CliApp.Run(() =>
        {
            SamplerOptions options = sampling.Read(parse, parse.GetValue(seed));
            IMatmulBackend backend = Backends.Create("engine", parse.GetValue(threads));
            using var release = backend as IDisposable;
            using ModelHandle h = ModelSource.Open(parse.GetValue(model), parse.GetValue(arch), parse.GetValue(seed), parse.GetValue(zeroFraction));
            var transformer = new Transformer(h.Config, h.Weights, backend, parse.GetValue(context));
            // The generator adds BOS itself, so the template's own BOS text stays empty.
            ChatTemplate? template = ChatTemplate.Detect(h.Metadata.GetValueOrDefault("tokenizer.chat_template") as string);
            var chat = new Conversation(new Generator(transformer, h.Tokenizer), h.Tokenizer, template, parse.GetValue(system));
            Console.Error.WriteLine(template is null
                ? $"{h.Source}: no chat template, plain continuation. Empty line or /exit ends."
                : $"{h.Source}: {template.Format} chat template. Empty line or /exit ends.");
            while (true)
            {
                if (!Console.IsInputRedirected) Console.Error.Write("> ");
                string? line = Console.In.ReadLine();
                if (string.IsNullOrWhiteSpace(line) || line.Trim() == "/exit") break;
                var streamed = new TextStreamer(h.Tokenizer);
                chat.Reply(line, parse.GetValue(count), options, id => Console.Out.Write(streamed.Push(id)));
                Console.Out.WriteLine(streamed.Flush());
            }
            return 0;
        }));
        return cmd;
    }
}
