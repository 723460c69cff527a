namespace BitRom.Hardware.Components;

/// <summary>
/// When decode reads alone keep the DR eDRAM alive (PAPER-NOTES.md §5 [I]: the precondition is a token period below
/// the retention time). Every live row is read once per step, so the gap between restores of a row is the gap
/// between consecutive steps.
/// </summary>
/// <param name="NoRefreshTokenPeriodSeconds">Decode token periods up to this (= t_ret) need no explicit refresh.</param>
/// <param name="LongestStepGapSeconds">Longest gap between consecutive steps of the session (prefill period, token period, or idle + period).</param>
/// <param name="MaxIdleSecondsWithoutRefresh">Longest idle gap between requests that still needs no refresh: t_ret − token period (≥ 0).</param>
/// <param name="DecodeRefreshSuffices">True when <paramref name="LongestStepGapSeconds"/> ≤ t_ret: the session issues no explicit refresh.</param>
public sealed record RefreshThresholds(double NoRefreshTokenPeriodSeconds, double LongestStepGapSeconds, double MaxIdleSecondsWithoutRefresh, bool DecodeRefreshSuffices)
{
    /// <summary>The thresholds of <paramref name="config"/> for <paramref name="session"/>.</summary>
    public static RefreshThresholds For(DrEdramConfig config, KvSession session)
    {
        long longest = 0, previous = -1;
        foreach (TokenStep s in session.Steps())
        {
            if (previous >= 0) longest = Math.Max(longest, s.TimeNs - previous);
            previous = s.TimeNs;
        }
        long tRet = KvSession.ToNs(config.RetentionSeconds);
        return new RefreshThresholds(config.RetentionSeconds, longest / 1e9,
            Math.Max(0, config.RetentionSeconds - session.TokenPeriodSeconds), longest <= tRet);
    }
}

/// <summary>One point of a retention sweep: the session's refreshes at one t_ret.</summary>
public sealed record RetentionPoint(double RetentionSeconds, long RefreshesIssued, long RefreshesAvoided, bool DecodeRefreshSuffices);

public sealed partial class DrEdram
{
    /// <summary>
    /// Where decode refresh stops working as t_ret shrinks (DESIGN.md §5.6): the session simulated at each retention
    /// time of <paramref name="retentionSeconds"/>, everything else as in <paramref name="config"/>.
    /// </summary>
    public static IReadOnlyList<RetentionPoint> RetentionSweep(DrEdramConfig config, KvSession session, IEnumerable<double> retentionSeconds) =>
        [.. retentionSeconds.Select(t =>
        {
            DrEdramReport r = Simulate(config with { RetentionSeconds = t, ExplicitRefresh = true, RetentionFailureProbability = 0 }, session);
            return new RetentionPoint(t, r.Counts.RefreshesIssued, r.Counts.RefreshesAvoided, r.Thresholds.DecodeRefreshSuffices);
        })];

    /// <summary>Retention times of the default sweep: 10 ms (1T1C-class) down to 10 µs (below 28 nm gain cells), HW-REFERENCES.md §3.4.</summary>
    public static IReadOnlyList<double> DefaultRetentionSweep { get; } = [10e-3, 3e-3, 1e-3, 300e-6, 100e-6, 30e-6, 10e-6];

    /// <summary>
    /// Seeded retention failures [model choice]: in a row read after outliving t_ret unrefreshed, each stored bit of a
    /// live K/V value fails independently with probability p (positions drawn with geometric gaps). A failed cell reads
    /// back 0 (a leaked '1'); the functional model clears that bit. Scale bytes of 8-bit KV are assumed protected.
    /// </summary>
    private sealed class RetentionFailures(DrEdram owner, double probability, ulong seed)
    {
        private ulong _state = seed;

        public void Draw(long row, List<KvRetentionFlip> flips)
        {
            DrEdramLayout lay = owner.Layout;
            long rowStart = row * owner.Config.RowBytes, rowEnd = rowStart + owner.Config.RowBytes;
            long firstSlot = rowStart / lay.EntryBytes, lastSlot = Math.Min((rowEnd - 1) / lay.EntryBytes, owner._slotPosition.Length - 1);
            for (long g = firstSlot; g <= lastSlot; g++)
            {
                int pos = owner._slotPosition[g];
                if (pos < 0) continue;
                long slotStart = g * lay.EntryBytes;
                long from = Math.Max(rowStart, slotStart) - slotStart, to = Math.Min(rowEnd, slotStart + lay.EntryBytes) - slotStart;
                int layer = (int)(g / lay.SlotsPerLayer);
                for (long bit = from * 8 + Skip(); bit < to * 8; bit += 1 + Skip())
                {
                    if (Locate(bit / 8, (int)(bit % 8)) is (bool isValue, int element, int b))
                        flips.Add(new KvRetentionFlip(layer, pos, isValue, element, b));
                }
            }
        }

        /// <summary>Entry byte offset and bit → (V?, element, bit of the stored code), or null for a scale byte.</summary>
        private (bool, int, int)? Locate(long offset, int bitInByte)
        {
            KvShape s = owner.Layout.Shape;
            int kvBits = owner.Config.KvBits;
            long values = s.ValueBytes(kvBits), half = owner.Layout.EntryBytes / 2;
            bool isValue = offset >= half;
            long o = offset - (isValue ? half : 0);
            if (o >= values) return null;
            return kvBits == 16 ? (isValue, (int)(o / 2), (int)(o % 2) * 8 + bitInByte) : (isValue, (int)o, bitInByte);
        }

        /// <summary>Bits to skip before the next failure: Geometric(p) by inversion.</summary>
        private long Skip()
        {
            if (probability >= 1) return 0;
            double u = (Next() >> 11) * (1.0 / (1UL << 53));
            double g = Math.Floor(Math.Log(1 - u) / Math.Log(1 - probability));
            return g > long.MaxValue / 4 ? long.MaxValue / 4 : (long)g;
        }

        /// <summary>SplitMix64 (Steele, Lea, Flood, OOPSLA 2014).</summary>
        private ulong Next()
        {
            ulong z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
