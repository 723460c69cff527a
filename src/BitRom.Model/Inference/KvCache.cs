using BitRom.Numerics.Floats;

namespace BitRom.Model.Inference;

/// <summary>
/// The key/value cache: per layer the rotated keys and the values, stored head-major, (layer, head, pos, HeadDim) each,
/// so one head's keys over all positions are one contiguous stream for attention (a position-major layout makes
/// every head read short pieces KvDim apart). Built without a head width (the three-argument constructor) the cache
/// has one stored head of KvDim values, which is the position-major layout.
/// <see cref="KvBits"/> = 16 (default) stores the floats exactly; 8 stores an int8 code per value with one fp16 scale
/// per (layer, position, head) (DESIGN.md §5.6), and attention reads the dequantized values.
/// Contract: only <see cref="Store"/> writes values; <see cref="ClearBit"/> models a retention failure of the DR eDRAM.
/// </summary>
public sealed class KvCache
{
    /// <summary>Default KV precision: exact float storage (16-bit in the hardware model).</summary>
    public const int DefaultKvBits = 16;

    private readonly float[][] _k;
    private readonly float[][] _v;
    private readonly sbyte[][]? _kq, _vq;    // (layer, head, pos, HeadDim) int8 codes when KvBits = 8
    private readonly float[][]? _ks, _vs;    // (layer, pos, KvHeads) fp16-representable dequantization scales

    /// <summary>Allocates <paramref name="layers"/> x <paramref name="capacity"/> x <paramref name="kvDim"/> floats for K and for V.</summary>
    public KvCache(int layers, int capacity, int kvDim) : this(layers, capacity, kvDim, DefaultKvBits, kvDim)
    {
    }

    /// <summary>A cache at <paramref name="kvBits"/> (16 or 8); heads of <paramref name="headDim"/> values share an 8-bit scale.</summary>
    public KvCache(int layers, int capacity, int kvDim, int kvBits, int headDim)
    {
        if (layers <= 0 || capacity <= 0 || kvDim <= 0) throw new ArgumentException($"KV cache [{layers}, {capacity}, {kvDim}] must be positive");
        if (kvBits is not (8 or 16)) throw new ArgumentException($"KV cache: kv bits {kvBits} must be 8 or 16");
        if (headDim <= 0 || kvDim % headDim != 0) throw new ArgumentException($"KV cache: head dim {headDim} does not divide kv dim {kvDim}");
        Layers = layers;
        Capacity = capacity;
        KvDim = kvDim;
        KvBits = kvBits;
        HeadDim = headDim;
        _k = new float[layers][];
        _v = new float[layers][];
        for (int l = 0; l < layers; l++)
        {
            _k[l] = new float[(long)capacity * kvDim];
            _v[l] = new float[(long)capacity * kvDim];
        }
        if (kvBits == 8)
        {
            int heads = kvDim / headDim;
            _kq = [.. Enumerable.Range(0, layers).Select(_ => new sbyte[(long)capacity * kvDim])];
            _vq = [.. Enumerable.Range(0, layers).Select(_ => new sbyte[(long)capacity * kvDim])];
            _ks = [.. Enumerable.Range(0, layers).Select(_ => new float[(long)capacity * heads])];
            _vs = [.. Enumerable.Range(0, layers).Select(_ => new float[(long)capacity * heads])];
        }
    }

    /// <summary>Blocks.</summary>
    public int Layers { get; }

    /// <summary>Positions held (the context length).</summary>
    public int Capacity { get; }

    /// <summary>Key/value width per position.</summary>
    public int KvDim { get; }

    /// <summary>Bits per stored value: 16 (exact floats) or 8 (int8 codes with per-head scales).</summary>
    public int KvBits { get; }

    /// <summary>Values per head (the span of one 8-bit scale).</summary>
    public int HeadDim { get; }

    /// <summary>Bytes held (float32 K and V).</summary>
    public long Bytes => 2L * Layers * Capacity * KvDim * sizeof(float);

    /// <summary>Writes the key and value of position <paramref name="pos"/> in <paramref name="layer"/>.</summary>
    public void Store(int layer, int pos, ReadOnlySpan<float> key, ReadOnlySpan<float> value)
    {
        if ((uint)pos >= (uint)Capacity) throw new InvalidOperationException($"position {pos} exceeds the context length {Capacity}");
        if (key.Length < KvDim || value.Length < KvDim) throw new ArgumentException($"KV store needs {KvDim} values, got {key.Length} and {value.Length}");
        int heads = KvDim / HeadDim;
        if (KvBits == 16)
        {
            for (int h = 0; h < heads; h++)
            {
                key.Slice(h * HeadDim, HeadDim).CopyTo(_k[layer].AsSpan(Offset(pos, h * HeadDim), HeadDim));
                value.Slice(h * HeadDim, HeadDim).CopyTo(_v[layer].AsSpan(Offset(pos, h * HeadDim), HeadDim));
            }
            return;
        }
        for (int h = 0; h < heads; h++)
        {
            int at = Offset(pos, h * HeadDim);
            _ks![layer][pos * heads + h] = QuantizeHead(key.Slice(h * HeadDim, HeadDim), _kq![layer].AsSpan(at, HeadDim), _k[layer].AsSpan(at, HeadDim));
            _vs![layer][pos * heads + h] = QuantizeHead(value.Slice(h * HeadDim, HeadDim), _vq![layer].AsSpan(at, HeadDim), _v[layer].AsSpan(at, HeadDim));
        }
    }

    /// <summary>Key of kv head <paramref name="head"/> at <paramref name="pos"/> (headDim floats).</summary>
    public ReadOnlySpan<float> Key(int layer, int pos, int head, int headDim) => _k[layer].AsSpan(Slot(pos, head, headDim), headDim);

    /// <summary>Value of kv head <paramref name="head"/> at <paramref name="pos"/> (headDim floats).</summary>
    public ReadOnlySpan<float> Value(int layer, int pos, int head, int headDim) => _v[layer].AsSpan(Slot(pos, head, headDim), headDim);

    /// <summary>Floats from one position's row of a head to the next position's (the stored head width).</summary>
    public int PositionStride => HeadDim;

    /// <summary>Values of one head at positions 0..count−1: row p starts at p·<see cref="PositionStride"/> (for <see cref="FloatOps.AddScaledRows"/>).</summary>
    public ReadOnlySpan<float> ValueRows(int layer, int head, int headDim, int count) => Rows(_v[layer], head, headDim, count);

    /// <summary>Keys of one head at positions 0..count−1, laid out as <see cref="ValueRows"/>.</summary>
    public ReadOnlySpan<float> KeyRows(int layer, int head, int headDim, int count) => Rows(_k[layer], head, headDim, count);

    private ReadOnlySpan<float> Rows(float[] layer, int head, int headDim, int count)
    {
        if (count <= 0 || count > Capacity) throw new ArgumentOutOfRangeException(nameof(count), count, $"the cache holds 1..{Capacity} positions");
        return layer.AsSpan(Slot(0, head, headDim), (count - 1) * PositionStride + headDim);
    }

    /// <summary>Start of head <paramref name="head"/> (of <paramref name="headDim"/> values) at <paramref name="pos"/>, checked: a head may not cross a stored head or the cache.</summary>
    private int Slot(int pos, int head, int headDim)
    {
        int element = head * headDim;
        if ((uint)pos >= (uint)Capacity || headDim <= 0 || head < 0 || element + headDim > KvDim || element % HeadDim + headDim > HeadDim)
            throw new ArgumentOutOfRangeException(nameof(pos), $"KV slot (pos {pos}, head {head} of {headDim}) outside the cache [{Capacity} x {KvDim}, heads of {HeadDim}]");
        return Offset(pos, element);
    }

    /// <summary>Index of element <paramref name="element"/> (of KvDim) at <paramref name="pos"/> in a layer's head-major array.</summary>
    private int Offset(int pos, int element) => ((element / HeadDim) * Capacity + pos) * HeadDim + element % HeadDim;

    /// <summary>
    /// A retention failure: bit <paramref name="bit"/> of the stored code of K (or V) element <paramref name="element"/>
    /// at (<paramref name="layer"/>, <paramref name="pos"/>) reads back 0. At 16 bits the stored code is the value's
    /// upper half (its bf16 view: bit b is float32 bit 16 + b); at 8 bits it is the int8 code (bit 7 = sign), after
    /// which the value is dequantized again. Clearing a bit never makes a finite value infinite or NaN.
    /// </summary>
    public void ClearBit(int layer, int pos, bool isValue, int element, int bit)
    {
        if ((uint)layer >= (uint)Layers || (uint)pos >= (uint)Capacity || (uint)element >= (uint)KvDim || (uint)bit >= (uint)KvBits)
            throw new ArgumentException($"KV bit (layer {layer}, pos {pos}, element {element}, bit {bit}) outside the cache");
        int at = Offset(pos, element);
        float[] values = isValue ? _v[layer] : _k[layer];
        if (KvBits == 16)
        {
            uint u = BitConverter.SingleToUInt32Bits(values[at]) & ~(1u << (16 + bit));
            values[at] = BitConverter.UInt32BitsToSingle(u);
            return;
        }
        sbyte[] codes = isValue ? _vq![layer] : _kq![layer];
        codes[at] = (sbyte)(codes[at] & ~(1 << bit));
        float scale = (isValue ? _vs! : _ks!)[layer][pos * (KvDim / HeadDim) + element / HeadDim];
        values[at] = codes[at] * scale;
    }

    /// <summary>
    /// Symmetric absmax int8 of one head: d = fp16(max|x| / 127) (the stored scale), q = clamp(roundHalfToEven(x / d),
    /// −128, 127), dequantized x' = q · d; an all-zero head (d = 0) stores zeros. Returns d.
    /// </summary>
    internal static float QuantizeHead(ReadOnlySpan<float> x, Span<sbyte> codes, Span<float> dequantized)
    {
        float amax = 0f;
        foreach (float v in x) amax = MathF.Max(amax, MathF.Abs(v));
        float d = FloatFormats.HalfToFloat(FloatFormats.FloatToHalf(amax / 127f));
        for (int i = 0; i < x.Length; i++)
        {
            sbyte q = d > 0 ? (sbyte)Math.Clamp(MathF.Round(x[i] / d, MidpointRounding.ToEven), -128f, 127f) : (sbyte)0;
            codes[i] = q;
            dequantized[i] = q * d;
        }
        return d;
    }
}
