using System.Buffers.Binary;
using System.Diagnostics;
using BitRom.Model.Architectures;
using BitRom.Model.Formats;
using BitRom.Model.Formats.Gguf;
using BitRom.Model.Synthetic;
using BitRom.Numerics.Quant;
using Xunit;
using Xunit.Abstractions;

namespace BitRom.Tests.Formats.Gguf;

/// <summary>
/// Mutation fuzzing of the GGUF reader (issue 3 §6): bit flips, truncations, huge counts/dims/string lengths,
/// wrong value and tensor types, out-of-range and overlapping offsets, chunk copies. The only exception allowed is
/// <see cref="InvalidDataException"/>; every case must finish quickly and allocate a bounded amount.
/// </summary>
public sealed class GgufFuzzTests(ITestOutputHelper output)
{
    /// <summary>Cases on the container seed (metadata of every type, nested arrays, five tensor types).</summary>
    private const int ContainerCases = 10_000;

    /// <summary>Cases on a model seed, also mapped to ModelConfig/ModelWeights.</summary>
    private const int ModelCases = 500;

    /// <summary>
    /// Per-case wall-clock bound: a parse of a few kB takes microseconds, so ten seconds means a hang-like loop.
    /// Not tighter: on a loaded 2-core machine a GC pause alone has taken 1.35 s.
    /// </summary>
    private static readonly TimeSpan CaseTimeBound = TimeSpan.FromSeconds(10);

    /// <summary>Per-case allocation bound: the model seed decodes ~0.5 M trits (a few MB); 2^60-sized requests must never get near.</summary>
    private const long AllocationBoundBytes = 64L << 20;

    /// <summary>Nasty values written into length/count/dim/offset fields.</summary>
    private static readonly ulong[] Huge = [1UL << 60, ulong.MaxValue, long.MaxValue, uint.MaxValue, 1UL << 32, 1UL << 31, 0x7FFF_FFFF, 65536, 0];

    /// <summary>Nasty values written into type fields.</summary>
    private static readonly uint[] Types = [0, 1, 4, 7, 8, 9, 12, 13, 30, 31, 34, 35, 36, 39, 40, 1036, uint.MaxValue];

    /// <summary>Where each field of a GGUF file starts and what it is (found by walking a valid seed).</summary>
    private enum Field { Length, ValueType, ArrayType, Count, NDims, Dim, TensorType, Offset }

    private static List<(int At, Field Kind)> Walk(byte[] b)
    {
        var fields = new List<(int, Field)>();
        int p = 8;
        ulong nt = BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(p)); fields.Add((p, Field.Count)); p += 8;
        ulong nkv = BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(p)); fields.Add((p, Field.Count)); p += 8;
        void Str() { fields.Add((p, Field.Length)); p += 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(p)); }
        void Val(uint t)
        {
            if (t == 8) { Str(); return; }
            if (t == 9)
            {
                uint e = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(p)); fields.Add((p, Field.ArrayType)); p += 4;
                ulong n = BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(p)); fields.Add((p, Field.Count)); p += 8;
                for (ulong i = 0; i < n; i++) Val(e);
                return;
            }
            p += t switch { 0 or 1 or 7 => 1, 2 or 3 => 2, 4 or 5 or 6 => 4, _ => 8 };
        }
        for (ulong i = 0; i < nkv; i++)
        {
            Str();
            uint t = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(p)); fields.Add((p, Field.ValueType)); p += 4;
            Val(t);
        }
        for (ulong i = 0; i < nt; i++)
        {
            Str();
            uint nd = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(p)); fields.Add((p, Field.NDims)); p += 4;
            for (uint d = 0; d < nd; d++) { fields.Add((p, Field.Dim)); p += 8; }
            fields.Add((p, Field.TensorType)); p += 4;
            fields.Add((p, Field.Offset)); p += 8;
        }
        return fields;
    }

    private static byte[] Mutate(byte[] seed, List<(int At, Field Kind)> fields, Rng rng, int dataStart, bool last = true)
    {
        int Pick(int n) => (int)(rng.Next() % (ulong)n);
        byte[] b = (byte[])seed.Clone();
        switch (last ? Pick(7) : 2 + Pick(4))
        {
            case 0: // bit flips, mostly in the header region
                for (int i = 1 + Pick(8); i > 0; i--)
                {
                    int at = Pick(4) == 0 ? Pick(b.Length) : Pick(dataStart);
                    b[at] ^= (byte)(1 << Pick(8));
                }
                return b;
            case 1: // truncation
                return b[..Pick(b.Length)];
            case 2: // a length, count, dim or offset field gets a huge or odd value
            {
                var wide = fields.Where(f => f.Kind is Field.Length or Field.Count or Field.Dim or Field.Offset).ToList();
                var (at, kind) = wide[Pick(wide.Count)];
                ulong v = Pick(3) == 0 ? rng.Next() % (ulong)(2 * b.Length + 1) : Huge[Pick(Huge.Length)];
                if (kind == Field.Offset && Pick(2) == 0) v = (ulong)(Pick(8) * 32); // aligned, probably overlapping
                BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(at), v);
                return b;
            }
            case 3: // a type field gets a wrong type
            {
                var narrow = fields.Where(f => f.Kind is Field.ValueType or Field.ArrayType or Field.TensorType or Field.NDims).ToList();
                var (at, _) = narrow[Pick(narrow.Count)];
                BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), Pick(2) == 0 ? Types[Pick(Types.Length)] : (uint)Pick(64));
                return b;
            }
            case 4: // copy a chunk over another place
            {
                int len = 1 + Pick(64), from = Pick(Math.Max(1, b.Length - len)), to = Pick(Math.Max(1, dataStart));
                Array.Copy(b, from, b, to, Math.Min(len, b.Length - Math.Max(from, to)));
                return b;
            }
            case 5: // random bytes in the data section (trit codes 3, mismatched TQ d, NaN scales)
                for (int i = 1 + Pick(16); i > 0; i--) b[dataStart + Pick(b.Length - dataStart)] = (byte)rng.Next();
                return b;
            default: // two mutations stacked (the first keeps the length, so the field map stays valid)
                return Mutate(Mutate(seed, fields, rng, dataStart, last: false), fields, rng, dataStart);
        }
    }

    /// <summary>A shared generator (SplitMix64 is a struct: copies would repeat the same mutation).</summary>
    private sealed class Rng(ulong seed)
    {
        private SplitMix64 _state = new(seed);
        public ulong Next() => _state.Next();
    }

    private void Run(byte[] seed, int cases, ulong rngSeed, bool mapModel)
    {
        List<(int At, Field Kind)> fields = Walk(seed);
        int dataStart;
        using (GgufFile f = GgufFile.Parse(seed)) dataStart = (int)f.DataOffset;
        var rng = new Rng(rngSeed);
        int rejected = 0;
        TimeSpan slowest = TimeSpan.Zero;
        long mostAllocated = 0;
        var work = Task.Run(() =>
        {
            var sw = new Stopwatch();
            for (int i = 0; i < cases; i++)
            {
                byte[] input = Mutate(seed, fields, rng, dataStart);
                long before = GC.GetAllocatedBytesForCurrentThread();
                sw.Restart();
                try
                {
                    using GgufFile f = GgufFile.Parse(input, "fuzz.gguf");
                    if (mapModel) GgufModelReader.Map(f).Dispose();
                }
                catch (InvalidDataException e) { rejected++; if (rejected < 4) output.WriteLine(e.Message); }
                catch (Exception e)
                {
                    throw new Xunit.Sdk.XunitException($"case {i}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
                }
                sw.Stop();
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before - input.Length;
                if (sw.Elapsed > slowest) slowest = sw.Elapsed;
                if (allocated > mostAllocated) mostAllocated = allocated;
                Assert.True(sw.Elapsed < CaseTimeBound, $"case {i} took {sw.Elapsed}");
                Assert.True(allocated < AllocationBoundBytes, $"case {i} allocated {allocated} bytes");
            }
        });
        Assert.True(work.Wait(TimeSpan.FromSeconds(120)), "fuzz run hung");
        output.WriteLine($"{cases} cases: {rejected} rejected with InvalidDataException, slowest {slowest.TotalMilliseconds:F2} ms, most allocated {mostAllocated:N0} B");
        Assert.True(rejected > cases / 4, $"only {rejected} of {cases} mutations were rejected: the mutator is too gentle");
    }

    [Fact]
    public void Reader_10000MutatedContainers_OnlyInvalidDataException()
    {
        byte[] seed = GgufFileTests.ToBytes(GgufFileTests.Sample()
            .AddTensor("t.q8", QuantType.Q8_0, [32, 2], new byte[68])
            .AddTensor("t.bf16", QuantType.BF16, [4, 4], new byte[32]));
        Run(seed, ContainerCases, 20261204, mapModel: false);
    }

    [Fact]
    public void ModelReader_MutatedModelFiles_OnlyInvalidDataException()
    {
        ModelConfig c = GgufModelTests.BitNetShape with { Layers = 1, HiddenDim = 256, VocabSize = 8, KvHeads = 1, BosToken = -1, EosToken = -1 };
        GgufWriter w = GgufModelWriter.Build(c, SyntheticModel.Create(c, seed: 9), null, QuantType.TQ1_0);
        Run(GgufFileTests.ToBytes(w), ModelCases, 77, mapModel: true);
    }
}
