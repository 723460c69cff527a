using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using BitRom.Model.Architectures;
using BitRom.Model.Formats.Hf;
using BitRom.Model.Formats.Safetensors;
using BitRom.Model.Synthetic;
using Xunit;
using Xunit.Abstractions;

namespace BitRom.Tests.Formats.Hf;

/// <summary>
/// Mutation fuzzing of every HF-side format (issue 3 item 6): each mutated input either parses or fails with the
/// documented <see cref="InvalidDataException"/>/<see cref="ArgumentException"/>; anything else fails the test.
/// </summary>
public class HfFuzzTests(ITestOutputHelper output)
{
    /// <summary>Cases per format in the normal run (issue 3: at least 10,000).</summary>
    public const int CasesPerFormat = 10_000;

    /// <summary>Time bound for one format's run here (2 shared cores); a hang or blow-up exceeds it by far.</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);

    internal static (int Parsed, int Rejected) Run(int cases, ulong seed, byte[] valid, bool json, Action<byte[]> parse, ITestOutputHelper output, string what) =>
        Run(cases, seed, m => m.Mutate(valid, json), parse, output, what);

    /// <summary>Runs <paramref name="cases"/> inputs made by <paramref name="make"/> through <paramref name="parse"/>.</summary>
    internal static (int Parsed, int Rejected) Run<T>(int cases, ulong seed, Func<Mutator, T> make, Action<T> parse, ITestOutputHelper output, string what)
    {
        var m = new Mutator(seed);
        int parsed = 0, rejected = 0;
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < cases; i++)
        {
            T input = make(m);
            try
            {
                parse(input);
                parsed++;
            }
            catch (Exception e) when (e is InvalidDataException or ArgumentException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"{what} case {i} (seed {seed}): unexpected {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
        }
        output.WriteLine($"{what}: {cases} cases, {parsed} parsed, {rejected} rejected, {sw.ElapsedMilliseconds} ms");
        Assert.True(sw.Elapsed < Budget, $"{what} fuzzing took {sw.Elapsed}");
        Assert.True(rejected > cases / 10, $"{what}: only {rejected} of {cases} mutations were rejected; the mutator is too weak");
        return (parsed, rejected);
    }

    private static byte[] ValidSafetensors()
    {
        var f = new byte[24];
        for (int i = 0; i < 6; i++) BinaryPrimitives.WriteSingleLittleEndian(f.AsSpan(i * 4), i * 0.5f - 1);
        using var ms = new MemoryStream();
        SafetensorsWriter.Write(ms,
        [
            new("model.layers.0.self_attn.q_proj.weight", SafetensorsDType.U8, [2, 4], new byte[] { 0x55, 0x16, 0x21, 0x5A, 0x00, 0x01, 0x02, 0x10 }),
            new("model.layers.0.self_attn.q_proj.weight_scale", SafetensorsDType.BF16, [1], new byte[] { 0xC0, 0x3F }),
            new("model.norm.weight", SafetensorsDType.F32, [6], f),
            new("model.embed_tokens.weight", SafetensorsDType.F16, [2, 3], new byte[12]),
        ], new Dictionary<string, string> { ["format"] = "pt" });
        return ms.ToArray();
    }

    [Fact]
    public void Safetensors_Mutations_OnlyDocumentedExceptions()
    {
        Run(CasesPerFormat, 11, ValidSafetensors(), json: false, bytes =>
        {
            using SafetensorsFile f = SafetensorsFile.FromBytes("fuzz.safetensors", bytes);
            foreach (SafetensorsTensorInfo t in f.Header.Tensors)
            {
                ReadOnlyMemory<byte> d = f.Data(t.Name);
                if (t.DType is SafetensorsDType.F32 or SafetensorsDType.F16 or SafetensorsDType.BF16) f.ReadFloats(t.Name);
                if (t.DType == SafetensorsDType.U8 && t.Shape.Length == 2 && t.Shape[0] > 0 && t.Shape[1] > 0 && t.Shape[0] * 4 * t.Shape[1] < 1 << 16)
                    HfPackedWeights.Unpack(t.Name, (int)t.Shape[0] * 4, (int)t.Shape[1], d.Span, 1f, f.Name);
            }
        }, output, "safetensors");
    }

    [Fact]
    public void SafetensorsHeaderJson_Mutations_OnlyDocumentedExceptions()
    {
        // Mutate only the JSON text (offsets, shapes, dtypes), keeping the length prefix consistent.
        byte[] valid = ValidSafetensors();
        int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(valid);
        byte[] header = valid[8..(8 + n)], data = valid[(8 + n)..];
        Run(CasesPerFormat, 12, header, json: true, h =>
        {
            var file = new byte[8 + h.Length + data.Length];
            BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)h.Length);
            h.CopyTo(file, 8);
            data.CopyTo(file, 8 + h.Length);
            using SafetensorsFile f = SafetensorsFile.FromBytes("fuzz.safetensors", file);
            foreach (SafetensorsTensorInfo t in f.Header.Tensors) f.Data(t.Name);
        }, output, "safetensors header json");
    }

    [Fact]
    public void ConfigJson_Mutations_OnlyDocumentedExceptions()
    {
        byte[] valid = HfModelWriter.ConfigJson(Presets.Tiny, HfLayout.BitNet2B4T);
        Run(CasesPerFormat, 13, valid, json: true, b => HfConfig.Parse(b, "config.json").ToModelConfig("fuzz"), output, "config.json");
        Run(CasesPerFormat / 4, 14, Encoding.UTF8.GetBytes(HfConfigTests.ConfigFalcon3), json: true, b => HfConfig.Parse(b, "config.json").ToModelConfig("fuzz"), output, "config.json (Falcon3)");
    }

    [Fact]
    public void ShardIndex_Mutations_OnlyDocumentedExceptions()
    {
        byte[] valid = Encoding.UTF8.GetBytes("""{"metadata":{"total_size":123},"weight_map":{"a.weight":"model-00001-of-00002.safetensors","b.weight":"model-00002-of-00002.safetensors"}}""");
        Run(CasesPerFormat / 4, 15, valid, json: true, b => SafetensorsCheckpoint.ParseIndex(b, "index.json"), output, "index json");
    }

    [Fact]
    public void HfFolder_MutatedWeightFile_LoadsOrFailsCleanly()
    {
        // Whole-loader fuzzing on disk is slower: fewer cases, each a full HfModelLoader.Load of a tiny model.
        ModelConfig c = Presets.Tiny with { Dim = 16, HeadDim = 8, Heads = 2, KvHeads = 1, HiddenDim = 32, VocabSize = 260, Layers = 1 };
        using var dir = new TempDir();
        HfModelWriter.Write(dir, c, SyntheticModel.Create(c, seed: 5), HfLayout.BitNet2B4T);
        string path = Path.Combine(dir, SafetensorsCheckpoint.SingleFileName);
        byte[] valid = File.ReadAllBytes(path);
        Run(300, 16, valid, json: false, b =>
        {
            File.WriteAllBytes(path, b);
            using var m = HfModelLoader.Load(dir);
        }, output, "HF folder");
    }
}
