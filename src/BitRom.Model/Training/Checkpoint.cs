using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using BitRom.Model.Architectures;
using BitRom.Model.Tokenizers.Training;

namespace BitRom.Model.Training;

/// <summary>
/// A resumable training state in one file: magic <c>BRTC</c>, uint32 version, uint32 header length, a UTF-8 JSON
/// header (model config, options, step, vocabulary, loss history), then for every parameter in
/// <see cref="TrainableModel.Parameters"/> order its master weights, AdamW first and second moments (float32 LE).
/// </summary>
public static class Checkpoint
{
    /// <summary>File magic.</summary>
    public const string Magic = "BRTC";
    /// <summary>Layout version.</summary>
    public const uint Version = 1;
    private const int MaxHeaderBytes = 64 << 20;

    /// <summary>The JSON header.</summary>
    public sealed record Header
    {
        /// <summary>Blueprint.</summary>
        public required ModelConfig Config { get; init; }
        /// <summary>Options of the run.</summary>
        public required TrainOptions Options { get; init; }
        /// <summary>Optimizer steps done.</summary>
        public required int Step { get; init; }
        /// <summary>Token strings.</summary>
        public required string[] Tokens { get; init; }
        /// <summary>Merges "left right".</summary>
        public required string[] Merges { get; init; }
        /// <summary>Special token ids.</summary>
        public required int[] Specials { get; init; }
        /// <summary>BOS id.</summary>
        public int Bos { get; init; }
        /// <summary>EOS id.</summary>
        public int Eos { get; init; }
        /// <summary>Seconds of training so far (all sessions).</summary>
        public double Seconds { get; init; }
        /// <summary>Per-step records so far.</summary>
        public List<StepRecord> History { get; init; } = [];

        /// <summary>The vocabulary.</summary>
        public BpeVocabulary Vocabulary() => new()
        {
            Tokens = Tokens, Specials = Specials.ToHashSet(), Bos = Bos, Eos = Eos,
            Merges = Merges.Select(m =>
            {
                int sp = m.IndexOf(' ');
                if (sp <= 0) throw new InvalidDataException($"checkpoint merge '{m}' has no separating space");
                return (m[..sp], m[(sp + 1)..]);
            }).ToList(),
        };
    }

    /// <summary>Writes the state atomically (temporary file, then rename).</summary>
    public static void Save(string path, TrainableModel model, BpeVocabulary vocab, TrainOptions options, int step, double seconds, List<StepRecord> history)
    {
        var header = new Header
        {
            Config = model.Config, Options = options, Step = step, Seconds = seconds, History = history,
            Tokens = [.. vocab.Tokens], Merges = vocab.MergeStrings(), Specials = [.. vocab.Specials.Order()], Bos = vocab.Bos, Eos = vocab.Eos,
        };
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(header);
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        string tmp = path + ".tmp";
        using (var f = new BufferedStream(File.Create(tmp), 1 << 20))
        {
            f.Write(Encoding.ASCII.GetBytes(Magic));
            Span<byte> u = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(u, Version); f.Write(u);
            BinaryPrimitives.WriteUInt32LittleEndian(u, (uint)json.Length); f.Write(u);
            f.Write(json);
            foreach (Parameter p in model.Parameters)
                foreach (float[] a in new[] { p.W, p.M, p.V }) f.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.AsSpan()));
        }
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Reads a state; every size is checked against the file length before reading.</summary>
    public static (TrainableModel Model, Header Header) Load(string path)
    {
        using var f = File.OpenRead(path);
        long length = f.Length;
        Span<byte> head = stackalloc byte[12];
        if (length < 12 || f.Read(head) != 12 || Encoding.ASCII.GetString(head[..4]) != Magic)
            throw new InvalidDataException($"{path}: not a BitRom training checkpoint (magic {Magic} expected at offset 0)");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(head[4..]);
        if (version != Version) throw new InvalidDataException($"{path}: checkpoint version {version}, expected {Version} (offset 4)");
        uint jsonLen = BinaryPrimitives.ReadUInt32LittleEndian(head[8..]);
        if (jsonLen > MaxHeaderBytes || 12 + jsonLen > length) throw new InvalidDataException($"{path}: header length {jsonLen} exceeds the file (offset 8)");
        var json = new byte[jsonLen];
        f.ReadExactly(json);
        Header header = JsonSerializer.Deserialize<Header>(json) ?? throw new InvalidDataException($"{path}: empty checkpoint header");
        var model = new TrainableModel(header.Config);
        long need = 12 + jsonLen + model.Count * 3L * sizeof(float);
        if (need != length) throw new InvalidDataException($"{path}: {length} bytes, the header's model needs {need}");
        if (header.Tokens.Length != header.Config.VocabSize) throw new InvalidDataException($"{path}: {header.Tokens.Length} tokens for vocabulary size {header.Config.VocabSize}");
        foreach (Parameter p in model.Parameters)
            foreach (float[] a in new[] { p.W, p.M, p.V }) f.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.AsSpan()));
        return (model, header);
    }
}

/// <summary>One logged step: loss, learning rate, gradient norm, tokens/s, and the validation loss when evaluated.</summary>
public sealed record StepRecord(int Step, double Loss, float LearningRate, double GradNorm, double TokensPerSecond, double? ValidLoss);
