using BitRom.Model.Architectures;
using BitRom.Model.Inference;
using BitRom.Model.Synthetic;
using BitRom.Numerics.Kernels;
using Xunit;

namespace BitRom.Tests.Kernels;

/// <summary>Whole-model logits of the fast backend against the reference backend, bit for bit.</summary>
public class FastModelTests
{
    private static readonly int[][] Prompts =
    [
        [256, 72, 101, 108, 108, 111],
        [256, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18],
        [319],
    ];

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (string arch in new[] { "tiny", "tiny-falcon3", "tiny-1bitllm" })
            foreach (int threads in new[] { 1, 2 }) data.Add(arch, threads);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Logits_PrefillAndTokenByToken_EqualReference(string arch, int threads)
    {
        ModelConfig config = Presets.Get(arch);
        ModelWeights weights = SyntheticModel.Create(config, seed: 7);
        using var fast = new FastBackend(threads, inlineWork: 0);
        foreach (int[] prompt in Prompts)
        {
            // prefill: all rows of logits at once
            var reference = new Transformer(config, weights, ReferenceBackend.Instance);
            var candidate = new Transformer(config, weights, fast);
            int[] expected = Bits(reference.Forward(prompt, 0, allLogits: true));
            int[] actual = Bits(candidate.Forward(prompt, 0, allLogits: true));
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{arch} prefill of {prompt.Length}");

            // token by token, continuing after a 2-token prefill
            reference = new Transformer(config, weights, ReferenceBackend.Instance);
            candidate = new Transformer(config, weights, fast);
            int split = Math.Min(2, prompt.Length);
            Assert.True(Bits(reference.Forward(prompt.AsSpan(0, split), 0)).AsSpan().SequenceEqual(Bits(candidate.Forward(prompt.AsSpan(0, split), 0))));
            for (int p = split; p < prompt.Length; p++)
            {
                int[] e = Bits(reference.Forward(prompt.AsSpan(p, 1), p));
                int[] a = Bits(candidate.Forward(prompt.AsSpan(p, 1), p));
                Assert.True(e.AsSpan().SequenceEqual(a), $"{arch} decode at position {p}");
            }
        }
    }

    private static int[] Bits(ReadOnlySpan<float> v)
    {
        var bits = new int[v.Length];
        for (int i = 0; i < v.Length; i++) bits[i] = BitConverter.SingleToInt32Bits(v[i]);
        return bits;
    }
}
