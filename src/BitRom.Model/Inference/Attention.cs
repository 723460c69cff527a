using BitRom.Model.Architectures;
using BitRom.Numerics.Floats;
using BitRom.Numerics.Kernels;
using BitRom.Numerics.Threading;

namespace BitRom.Model.Inference;

/// <summary>
/// Causal GQA attention of one forward call, one (token, query head) per work item, so a backend's worker pool
/// (<see cref="IParallelBackend"/>) can split the heads. For query head h the kv head is h / (Heads / KvHeads);
/// scores = q·k / sqrt(HeadDim) over positions 0..pos, softmax, then Σ p·v in position order.
/// </summary>
/// <remarks>
/// Every item computes exactly what the one-head loop computed: four positions' scores at a time through
/// <see cref="FloatOps.Dot4"/> (each the order of <see cref="FloatOps.Dot"/>, and q·k = k·q in IEEE arithmetic),
/// then <see cref="FloatOps.Softmax"/> and <see cref="FloatOps.AddScaledRows"/> (AddScaled per position, in order). Which thread runs an
/// item never changes a bit. Each participant has its own scores row, grown once to the cache capacity.
/// </remarks>
internal sealed class Attention(ForwardContext ctx) : IRangeWork
{
    private float[][] _scores = [];

    /// <summary>Runs every (token, head) of the call into <see cref="ForwardContext.Att"/>.</summary>
    public void Run()
    {
        int items = ctx.Tokens * ctx.Config.Heads;
        long work = 2L * items * (ctx.StartPos + ctx.Tokens) * ctx.Config.HeadDim; // scores and values, at most
        WorkerPool? pool = ctx.Backend is IParallelBackend p && p.Pool.Threads > 1 && work >= p.InlineWork ? p.Pool : null;
        int participants = pool?.Threads ?? 1;
        if (_scores.Length < participants || _scores[0].Length < ctx.Cache.Capacity)
        {
            _scores = new float[participants][];
            for (int i = 0; i < participants; i++) _scores[i] = new float[ctx.Cache.Capacity];
        }
        if (pool is null) Execute(0, items, 0);
        // claims of whole kv groups (the query heads sharing one kv head): a group's keys and values are read from
        // memory into one core's cache and reused there, instead of being fetched by both cores
        else pool.Run(this, items, ctx.Config.Heads / ctx.Config.KvHeads);
    }

    /// <inheritdoc />
    public void Execute(int start, int end, int worker)
    {
        for (int i = start; i < end; i++) Head(i / ctx.Config.Heads, i % ctx.Config.Heads, _scores[worker]);
    }

    private void Head(int t, int h, float[] buffer)
    {
        ModelConfig c = ctx.Config;
        KvCache cache = ctx.Cache;
        int hd = c.HeadDim, layer = ctx.Layer, pos = ctx.StartPos + t, kvh = h / (c.Heads / c.KvHeads);
        float scale = 1f / MathF.Sqrt(hd);
        ReadOnlySpan<float> q = ctx.Q.AsSpan(t * c.QDim + h * hd, hd);
        Span<float> scores = buffer.AsSpan(0, pos + 1);
        // one checked span of this head's keys, row p at p·stride: no slot arithmetic per position
        ReadOnlySpan<float> keys = cache.KeyRows(layer, kvh, hd, pos + 1);
        int stride = cache.PositionStride, p = 0;
        for (; p + 4 <= pos + 1; p += 4)
        {
            Span<float> four = scores.Slice(p, 4);
            FloatOps.Dot4(keys.Slice(p * stride, hd), keys.Slice((p + 1) * stride, hd), keys.Slice((p + 2) * stride, hd),
                keys.Slice((p + 3) * stride, hd), q, four);
            for (int j = 0; j < 4; j++) four[j] *= scale;
        }
        for (; p <= pos; p++) scores[p] = FloatOps.Dot(q, keys.Slice(p * stride, hd)) * scale;
        FloatOps.Softmax(scores);
        Span<float> o = ctx.Att.AsSpan(t * c.QDim + h * hd, hd);
        o.Clear();
        FloatOps.AddScaledRows(o, scores, cache.ValueRows(layer, kvh, hd, pos + 1), stride);
    }
}
