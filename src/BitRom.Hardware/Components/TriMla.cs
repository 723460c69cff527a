namespace BitRom.Hardware.Components;

/// <summary>A TriMLA accumulator left its signed range under <see cref="OverflowPolicy.Error"/>.</summary>
public sealed class TriMlaOverflowException(string message) : OverflowException(message);

/// <summary>
/// The Tri-Mode Local Accumulator's arithmetic (DESIGN.md §5.5): a <c>local_bits</c> accumulator per column sums
/// ±q over <c>group_rows</c> word lines, then adds into a <c>global_bits</c> accumulator. This type holds the widths
/// and the overflow policy; the simulator keeps the per-column state and counts the actions.
/// </summary>
public sealed class TriMla
{
    /// <summary>Widths and policy of <paramref name="config"/>.</summary>
    public TriMla(ChipConfig config)
    {
        LocalBits = config.LocalBits;
        GlobalBits = config.GlobalBits;
        GroupRows = config.GroupRows;
        Policy = config.Overflow;
        LocalMax = (1L << (LocalBits - 1)) - 1;
        GlobalMax = (1L << (GlobalBits - 1)) - 1;
    }

    /// <summary>Local accumulator width.</summary>
    public int LocalBits { get; }

    /// <summary>Global accumulator width.</summary>
    public int GlobalBits { get; }

    /// <summary>Word lines per local group.</summary>
    public int GroupRows { get; }

    /// <summary>Overflow policy.</summary>
    public OverflowPolicy Policy { get; }

    /// <summary>2^(LocalBits−1) − 1; the range is [−LocalMax − 1, LocalMax].</summary>
    public long LocalMax { get; }

    /// <summary>2^(GlobalBits−1) − 1.</summary>
    public long GlobalMax { get; }

    /// <summary>
    /// Applies the policy to an out-of-range <paramref name="value"/> of a <paramref name="bits"/>-wide accumulator:
    /// saturate clamps, wrap keeps the low bits as two's complement, error throws with <paramref name="where"/>.
    /// </summary>
    public long Resolve(long value, int bits, Func<string> where)
    {
        long max = (1L << (bits - 1)) - 1, min = -max - 1;
        return Policy switch
        {
            OverflowPolicy.Saturate => Math.Clamp(value, min, max),
            OverflowPolicy.Wrap => Wrap(value, bits),
            _ => throw new TriMlaOverflowException($"TriMLA overflow: {where()}: sum {value} outside the {bits}-bit range [{min}, {max}]"),
        };
    }

    /// <summary>The low <paramref name="bits"/> of <paramref name="value"/> as a signed number.</summary>
    public static long Wrap(long value, int bits) => (value << (64 - bits)) >> (64 - bits);

    /// <summary>
    /// True when no local or global sum can leave its range for activations with |q| ≤ <paramref name="maxAbsQ"/>:
    /// a local group sums at most min(group_rows, K) terms, a column's global accumulator at most
    /// min(<paramref name="rowsPerColumnSum"/>, K), each term of magnitude ≤ maxAbsQ.
    /// </summary>
    public bool CannotOverflow(int k, int rowsPerColumnSum, int maxAbsQ)
    {
        long local = (long)Math.Min(GroupRows, k) * maxAbsQ;
        long global = (long)Math.Min(rowsPerColumnSum, k) * maxAbsQ;
        return local <= LocalMax && global <= GlobalMax;
    }
}
