using BitRom.Model.Architectures;
using BitRom.Model.Inference;
using BitRom.Model.Synthetic;
using BitRom.Numerics.Kernels;
using Xunit;

namespace BitRom.Tests.Kernels;

/// <summary>Steady-state decode with the fast backend allocates no managed memory, on any thread.</summary>
[Collection(nameof(AllocationCollection))]
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

        // Exact: every thread that runs the forward pass (the caller and the pool's workers), each counted on
        // itself. GC.GetTotalAllocatedBytes(precise: true) is not asserted: under load the test host's own threads
        // showed ~168 bytes per window here whatever the window's token count, so it cannot isolate our code.
        long thread0 = GC.GetAllocatedBytesForCurrentThread(), workers0 = fast.WorkerAllocatedBytes;
        for (int i = 0; i < 16; i++) model.Forward(token, pos++);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - thread0);
        Assert.Equal(0, fast.WorkerAllocatedBytes - workers0);
    }
}

/// <summary>Runs the allocation tests alone: GC.GetTotalAllocatedBytes counts every thread of the test host.</summary>
[CollectionDefinition(nameof(AllocationCollection), DisableParallelization = true)]
public class AllocationCollection;
