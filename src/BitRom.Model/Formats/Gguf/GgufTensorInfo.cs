using BitRom.Numerics.Quant;

namespace BitRom.Model.Formats.Gguf;

/// <summary>
/// One tensor of a GGUF file: name, ggml shape (ne[0] fastest; an HF [out, in] matrix has ne = [in, out]),
/// storage type, offset relative to the tensor data section, and byte size (checked against the file).
/// </summary>
public sealed record GgufTensorInfo(string Name, long[] Shape, QuantType Type, long Offset, long ByteSize)
{
    /// <summary>Number of values.</summary>
    public long Elements => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Row length ne[0] (1 for a scalar).</summary>
    public long RowLength => Shape.Length > 0 ? Shape[0] : 1;

    /// <summary>Rows = elements / ne[0].</summary>
    public long Rows => RowLength == 0 ? 0 : Elements / RowLength;

    /// <inheritdoc />
    public override string ToString() => $"{Name} [{string.Join(", ", Shape)}] {QuantTypeTraits.Get(Type).Name} @{Offset} ({ByteSize} B)";
}
