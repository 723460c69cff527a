using BitRom.Model.Architectures;
using BitRom.Model.Inference;
using BitRom.Model.Synthetic;
using BitRom.Numerics.Kernels;
using Xunit;

namespace BitRom.Tests.Kernels;

/// <summary>Steady-state decode with the fast backend allocates no managed memory, on any thread.</summary>
[Collection(nameof(AllocationTests))] // not in parallel with other tests: GC.GetTotalAllocatedBytes counts every thread
[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public class AllocationTests
{
    [Theory]
    [InlineData("tiny", 2)]
    [InlineData("tiny-falcon3", 2)]
    [InlineData("tiny-1bitllm", 1)]
    public void Decode_SteadyState_AllocatesNothing(string arch, int threads)
    {
        ModelConfig config = Presets.Get(arch);
        ModelWeights weights = SyntheticModel.Create(config, seed: 3);
        using var fast = new FastBackend(threads, inlineWork: 0);
        var model = new Transformer(config, weights, fast);
        int[] prompt = [256, 10, 20, 30];
        model.Forward(prompt, 0);
        int pos = prompt.Length;
        int[] token = [42];
        // warm-up: JIT tiers, buffers grown to their decode sizes
        for (int i = 0; i < 40; i++) model.Forward(token, pos++);

        long thread0 = GC.GetAllocatedBytesForCurrentThread();
        long all0 = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < 8; i++) model.Forward(token, pos++);
        long thread1 = GC.GetAllocatedBytesForCurrentThread();
        long all1 = GC.GetTotalAllocatedBytes(precise: true);

        Assert.Equal(0, thread1 - thread0);
        Assert.Equal(0, all1 - all0);
    }
}
