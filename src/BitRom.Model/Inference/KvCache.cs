namespace BitRom.Model.Inference;

/// <summary>
/// The key/value cache: per layer, per position, the rotated keys and the values, (layer, pos, KvDim) each.
/// Contract: only <see cref="Store"/> writes; positions are written in order and read back unchanged.
/// </summary>
public sealed class KvCache
{
    private readonly float[][] _k;
    private readonly float[][] _v;

    /// <summary>Allocates <paramref name="layers"/> x <paramref name="capacity"/> x <paramref name="kvDim"/> floats for K and for V.</summary>
    public KvCache(int layers, int capacity, int kvDim)
    {
        if (layers <= 0 || capacity <= 0 || kvDim <= 0) throw new ArgumentException($"KV cache [{layers}, {capacity}, {kvDim}] must be positive");
        Layers = layers;
        Capacity = capacity;
        KvDim = kvDim;
        _k = new float[layers][];
        _v = new float[layers][];
        for (int l = 0; l < layers; l++)
        {
            _k[l] = new float[(long)capacity * kvDim];
            _v[l] = new float[(long)capacity * kvDim];
        }
    }

    /// <summary>Blocks.</summary>
    public int Layers { get; }

    /// <summary>Positions held (the context length).</summary>
    public int Capacity { get; }

    /// <summary>Key/value width per position.</summary>
    public int KvDim { get; }

    /// <summary>Bytes held (float32 K and V).</summary>
    public long Bytes => 2L * Layers * Capacity * KvDim * sizeof(float);

    /// <summary>Writes the key and value of position <paramref name="pos"/> in <paramref name="layer"/>.</summary>
    public void Store(int layer, int pos, ReadOnlySpan<float> key, ReadOnlySpan<float> value)
    {
        if ((uint)pos >= (uint)Capacity) throw new InvalidOperationException($"position {pos} exceeds the context length {Capacity}");
        key[..KvDim].CopyTo(_k[layer].AsSpan(pos * KvDim, KvDim));
        value[..KvDim].CopyTo(_v[layer].AsSpan(pos * KvDim, KvDim));
    }

    /// <summary>Key of kv head <paramref name="head"/> at <paramref name="pos"/> (headDim floats).</summary>
    public ReadOnlySpan<float> Key(int layer, int pos, int head, int headDim) => _k[layer].AsSpan(pos * KvDim + head * headDim, headDim);

    /// <summary>Value of kv head <paramref name="head"/> at <paramref name="pos"/> (headDim floats).</summary>
    public ReadOnlySpan<float> Value(int layer, int pos, int head, int headDim) => _v[layer].AsSpan(pos * KvDim + head * headDim, headDim);
}
