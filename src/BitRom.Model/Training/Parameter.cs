namespace BitRom.Model.Training;

/// <summary>
/// One trainable tensor: float master weights, their gradient and the AdamW moments, (Rows, Cols) row-major
/// (vectors have Rows = 1). <see cref="Ternary"/> marks BitLinear weights, which the forward pass ternarizes.
/// </summary>
public sealed class Parameter
{
    /// <summary>Allocates a zero parameter.</summary>
    public Parameter(string name, int rows, int cols, bool ternary, bool decay)
    {
        Name = name;
        Rows = rows;
        Cols = cols;
        Ternary = ternary;
        Decay = decay;
        W = new float[rows * cols];
        G = new float[rows * cols];
    }

    /// <summary>GGUF-style tensor name, e.g. <c>blk.0.attn_q</c>.</summary>
    public string Name { get; }
    /// <summary>Rows (output features for matrices).</summary>
    public int Rows { get; }
    /// <summary>Columns (input features for matrices).</summary>
    public int Cols { get; }
    /// <summary>BitLinear weight: ternarized in the forward pass (straight-through estimator in the backward pass).</summary>
    public bool Ternary { get; }
    /// <summary>AdamW applies weight decay (matrices yes, norm gains no).</summary>
    public bool Decay { get; }
    /// <summary>Master weights, (Rows, Cols).</summary>
    public float[] W { get; }
    /// <summary>Gradient, (Rows, Cols).</summary>
    public float[] G { get; }
    /// <summary>AdamW first moment (allocated on first use: a frozen base, e.g. under LoRA training, never needs it).</summary>
    public float[] M => _m ??= new float[W.Length];
    /// <summary>AdamW second moment (allocated on first use, as <see cref="M"/>).</summary>
    public float[] V => _v ??= new float[W.Length];

    private float[]? _m, _v;

    /// <summary>
    /// Frozen: never updated (LoRA training freezes the whole base, DESIGN.md §5.7); the backward pass skips its
    /// weight gradient.
    /// </summary>
    public bool Frozen { get; set; }

    /// <summary>
    /// For a frozen BitLinear weight loaded from a model file: the exact trits and scale the file holds, which the
    /// forward pass uses instead of re-ternarizing <see cref="W"/> (so the frozen forward equals the engine's).
    /// </summary>
    public BitRom.Numerics.Ternary.TernaryMatrix? Fixed { get; set; }

    /// <summary>Element count.</summary>
    public int Length => W.Length;

    /// <inheritdoc />
    public override string ToString() => $"{Name} [{Rows} x {Cols}]";
}
