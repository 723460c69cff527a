using BitRom.Hardware.Components;
using BitRom.Hardware.Mapping;
using BitRom.Numerics.Floats;
using BitRom.Numerics.Kernels;
using BitRom.Numerics.Ternary;
using BitRom.Numerics.Threading;

namespace BitRom.Hardware.Simulation;

/// <summary>
/// Shared plumbing of the chip backends: finds each matrix's compiled mapping (from a whole-model <see cref="RomImage"/>
/// or by compiling it on first sight), owns the stats registry, and runs the non-ternary head on the inner backend.
/// </summary>
/// <remarks>Contract: single-threaded use (the forward pass calls one product at a time); matrices are never mutated.</remarks>
public abstract class ChipBackendBase : IMatmulBackend, IParallelBackend
{
    private WorkerPool? _single;

    private readonly Dictionary<TernaryMatrix, CompiledMatrix> _byInstance = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<RomImage, bool> _images = new(ReferenceEqualityComparer.Instance);
    private readonly RomImage? _image;

    /// <summary>A backend of <paramref name="config"/>; <paramref name="image"/> (optional) holds every matrix it will see.</summary>
    protected ChipBackendBase(ChipConfig config, IMatmulBackend inner, RomImage? image)
    {
        Config = config.Validate();
        Inner = inner;
        _image = image;
        Sense = new SenseAmplifier(config);
        Simulator = new MacroSimulator(config, Sense);
        if (image is not null && (image.Mapping.ArrayRows != config.ArrayRows || image.Mapping.ArrayCols != config.ArrayCols))
            throw new ArgumentException($"ROM image geometry {image.Mapping.ArrayRows} x {image.Mapping.ArrayCols} differs from the chip config's {config.ArrayRows} x {config.ArrayCols}");
    }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <summary>The chip.</summary>
    public ChipConfig Config { get; }

    /// <summary>Computes the head, and the arithmetic when the chip path allows it.</summary>
    public IMatmulBackend Inner { get; }

    /// <summary>The inner backend's pool, so the forward pass's float work (attention heads) runs as fast as with the
    /// engine; a pool of one participant (no threads) when the inner backend has none. Ternary products stay one
    /// matrix at a time on this backend, so every event is counted per matrix as before.</summary>
    public WorkerPool Pool => Inner is IParallelBackend p ? p.Pool : _single ??= new WorkerPool(1);

    /// <inheritdoc />
    public long InlineWork => Inner is IParallelBackend p ? p.InlineWork : long.MaxValue;

    /// <summary>Every action counted so far, per matrix.</summary>
    public StatsRegistry Stats { get; } = new();

    /// <summary>The sense amplifiers (noise state and error count).</summary>
    protected SenseAmplifier Sense { get; }

    /// <summary>The bit-accurate stepper.</summary>
    protected MacroSimulator Simulator { get; }

    /// <inheritdoc />
    public abstract void Ternary(TernaryMatrix w, ReadOnlySpan<sbyte> q, int tokens, Span<int> acc);

    /// <inheritdoc />
    public void Dense(DenseMatrix w, ReadOnlySpan<float> x, int tokens, Span<float> y)
    {
        Inner.Dense(w, x, tokens, y);
        EventCounts ev = Stats.For(w.Name).Events;
        ev.Add(ChipEvent.DenseMac, (long)w.Rows * w.Cols * tokens);
        ev.Add(ChipEvent.MatrixCall, 1);
    }

    /// <summary>The compiled form of <paramref name="w"/>: looked up by name in the image, else compiled once per instance.</summary>
    protected CompiledMatrix Resolve(TernaryMatrix w)
    {
        if (_byInstance.TryGetValue(w, out CompiledMatrix? cm)) return cm;
        if (_image is not null)
        {
            MatrixMapping mm = _image.Mapping.Find(w.Name)
                ?? throw new ArgumentException($"matrix '{w.Name}' is not in the ROM image");
            if (mm.Shape.Rows != w.Rows || mm.Shape.Cols != w.Cols)
                throw new ArgumentException($"matrix '{w.Name}' [{w.Rows} x {w.Cols}] differs from the ROM image's [{mm.Shape.Rows} x {mm.Shape.Cols}]");
            cm = new CompiledMatrix(_image, mm.Index);
        }
        else
        {
            cm = new CompiledMatrix(RomImage.Compile([w], Config), 0);
        }
        _images[cm.Image] = true;
        return _byInstance[w] = cm;
    }

    /// <summary>Macros across every image this backend has used.</summary>
    public int Macros => _images.Keys.Sum(i => i.Mapping.Macros.Count);

    /// <summary>Weights over capacity across those macros.</summary>
    public double Utilization
    {
        get
        {
            long cap = _images.Keys.Sum(i => i.Mapping.CapacityTrits);
            return cap == 0 ? 0 : (double)_images.Keys.Sum(i => i.Mapping.WeightTrits) / cap;
        }
    }

    /// <summary>What the chip did so far, for the run verb to print.</summary>
    public ChipSummary Summary() => ChipSummary.From(this);
}
