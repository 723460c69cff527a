using BitRom.Model.Formats;
using BitRom.Model.Inference;
using BitRom.Numerics.Kernels;
using BitRom.Numerics.Ternary;
using BitRom.Tests.Foundation;
using Xunit;

namespace BitRom.Tests.Kernels;

/// <summary>
/// The embedded GGUF model through the fast backend: its decoded ternary tensors' and its head's mapped pages are
/// released from the resident set (the head after its interleaved copy), and everything read again stays exact.
/// </summary>
public class MappedModelTests
{
    [Fact]
    public void EmbeddedModel_FastAfterPageRelease_EqualsReference()
    {
        using LoadedModel m = ModelLoader.Load(Path.Combine(ArchitectureTests.RepoRoot(), "models", "kjv-bitnet.gguf"));
        int[] prompt = [1, 40, 41, 42, 43, 44, 45];
        using var fast = new FastBackend(2, inlineWork: 0);
        float[] embedding = new float[m.Config.Dim];
        m.Weights.Embedding.DecodeRow(prompt[1], embedding);
        for (int pass = 0; pass < 2; pass++)
        {
            var reference = new Transformer(m.Config, m.Weights, ReferenceBackend.Instance, 16);
            var candidate = new Transformer(m.Config, m.Weights, fast, 16);
            int[] expected = Bits(reference.Forward(prompt, 0, allLogits: true));
            int[] actual = Bits(candidate.Forward(prompt, 0, allLogits: true));
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"pass {pass}");
            Assert.True(Bits(reference.Forward([9], prompt.Length)).AsSpan().SequenceEqual(Bits(candidate.Forward([9], prompt.Length))));
        }
        // the released head (tied table) still decodes the same embedding rows
        float[] again = new float[m.Config.Dim];
        m.Weights.Embedding.DecodeRow(prompt[1], again);
        Assert.Equal(Bits(embedding), Bits(again));
    }

    [Fact]
    public void TernaryMany_MoreMatricesThanOneJobHolds_EqualsReference()
    {
        var rng = new Random(77);
        using var backend = new FastBackend(2, inlineWork: 0);
        TernaryMatrix[] ws = [.. Enumerable.Range(0, 5).Select(i => KernelTestData.Matrix(rng, 9 + i, 130))];
        sbyte[] q = KernelTestData.Activations(rng, 2 * 130);
        int total = 2 * ws.Sum(w => w.Rows);
        int[] expected = new int[total], actual = new int[total];
        int offset = 0;
        foreach (TernaryMatrix w in ws)
        {
            TernaryGemm.Reference(w, q, 2, expected.AsSpan(offset, 2 * w.Rows));
            offset += 2 * w.Rows;
        }
        backend.TernaryMany(ws, q, 2, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void KvCache_SlotsOutsideTheCache_Throw()
    {
        var cache = new KvCache(1, 4, 8, 16, 4);
        Assert.Equal(4, cache.Key(0, 3, 1, 4).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Key(0, 4, 0, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Value(0, -1, 0, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Key(0, 0, 2, 4));   // head past KvDim
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Key(0, 0, 0, 8));   // wider than a stored head
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.ValueRows(0, 0, 4, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.ValueRows(0, 0, 4, 0));
    }

    private static int[] Bits(ReadOnlySpan<float> v)
    {
        var bits = new int[v.Length];
        for (int i = 0; i < v.Length; i++) bits[i] = BitConverter.SingleToInt32Bits(v[i]);
        return bits;
    }
}
