namespace BitRom.Hardware.Components;

/// <summary>
/// Decode-Refresh eDRAM holding the KV cache (DESIGN.md §5.6; PAPER-NOTES.md §5): an event simulation, one token
/// step at a time. A step reads every live on-die row once (attention over all cached positions; a read restores the
/// row, so decode itself refreshes), then writes the new entry of each layer. Rows not restored within t_ret get
/// explicit refreshes, counted when the next read comes (ceil(Δ / t_ret) − 1 for a gap Δ &gt; t_ret).
/// Contract: steps come in position order with non-decreasing times; <see cref="Finish"/> closes the session.
/// </summary>
public sealed partial class DrEdram
{
    private readonly long _tRetNs;
    private readonly long[] _lastRestoreNs;   // (rows) time of the last read, write or refresh
    private readonly long[] _firstLiveNs;     // (rows) time the row first held live data, −1 if never
    private readonly int[] _liveSlotsInRow;   // (rows) live slots overlapping the row
    private readonly int[] _slotPosition;     // (LayersOnDie · SlotsPerLayer) position held, −1 if empty
    private readonly long[] _bankActivations;
    private readonly RetentionFailures? _failures;
    private long _rowReads, _rowWrites, _refreshes, _violations, _flips, _edramRead, _edramWrite, _spillWrite, _spillRead, _periodic;
    private long _lastTimeNs;
    private int _liveSlots;
    private bool _finished;

    /// <summary>An empty eDRAM planned for <paramref name="plannedPositions"/> positions.</summary>
    public DrEdram(DrEdramConfig config, KvShape shape, int plannedPositions)
    {
        Layout = new DrEdramLayout(config, shape, plannedPositions);
        _tRetNs = Math.Max(1, KvSession.ToNs(config.RetentionSeconds));
        long rows = Math.Min(Layout.UsedRows, config.Rows);
        _lastRestoreNs = new long[rows];
        _firstLiveNs = new long[rows];
        Array.Fill(_firstLiveNs, -1);
        _liveSlotsInRow = new int[rows];
        _slotPosition = new int[(long)Layout.LayersOnDie * Layout.SlotsPerLayer];
        Array.Fill(_slotPosition, -1);
        _bankActivations = new long[config.Banks];
        if (!config.ExplicitRefresh && config.RetentionFailureProbability > 0) _failures = new RetentionFailures(this, config.RetentionFailureProbability, config.Seed);
    }

    /// <summary>Placement of the entries.</summary>
    public DrEdramLayout Layout { get; }

    /// <summary>DR eDRAM parameters.</summary>
    public DrEdramConfig Config => Layout.Config;

    /// <summary>Position the next step writes.</summary>
    public int NextPosition { get; private set; }

    /// <summary>
    /// Runs the step at <see cref="NextPosition"/> at time <paramref name="timeNs"/>. Returns the retention flips of
    /// rows that this step's reads found expired (only with explicit refresh off and a failure probability &gt; 0),
    /// to be applied to the functional KV values before the step's attention reads them.
    /// </summary>
    public IReadOnlyList<KvRetentionFlip> Step(long timeNs)
    {
        if (_finished) throw new InvalidOperationException("DR eDRAM session already finished");
        if (timeNs < _lastTimeNs) throw new ArgumentException($"step time {timeNs} ns precedes the previous step at {_lastTimeNs} ns");
        _lastTimeNs = timeNs;
        int p = NextPosition;
        List<KvRetentionFlip>? flips = null;

        // reads: every live row once; a read restores the row (decode refresh)
        for (int r = 0; r < _liveSlotsInRow.Length; r++)
        {
            if (_liveSlotsInRow[r] == 0) continue;
            long gap = timeNs - _lastRestoreNs[r];
            if (gap > _tRetNs)
            {
                if (Config.ExplicitRefresh)
                {
                    long n = (gap + _tRetNs - 1) / _tRetNs - 1;
                    _refreshes += n;
                    _bankActivations[r % Config.Banks] += n;
                }
                else
                {
                    _violations++;
                    _failures?.Draw(r, flips ??= []);
                }
            }
            _lastRestoreNs[r] = timeNs;
            _rowReads++;
            _bankActivations[r % Config.Banks]++;
        }
        long entry = Layout.EntryBytes;
        _edramRead += _liveSlots * entry;
        _spillRead += ((long)Layout.Shape.Layers * p - _liveSlots) * entry;

        // writes: the new entry of every layer, on die or to DRAM; recent evicts the oldest entry of a full window
        for (int l = 0; l < Layout.Shape.Layers; l++)
        {
            int slot = Layout.SlotOf(l, p, p);
            if (slot < 0)
            {
                _spillWrite += entry;
                continue;
            }
            int g = l * Layout.SlotsPerLayer + slot;
            if (_slotPosition[g] >= 0) _spillWrite += entry;
            else AddLive(g, +1);
            _slotPosition[g] = p;
            _edramWrite += entry;
            var (first, last) = RowsOf(g);
            for (long r = first; r <= last; r++)
            {
                if (_firstLiveNs[r] < 0) _firstLiveNs[r] = timeNs;
                _lastRestoreNs[r] = timeNs;
                _rowWrites++;
                _bankActivations[r % Config.Banks]++;
            }
        }
        NextPosition++;
        if (flips is not null) _flips += flips.Count;
        return (IReadOnlyList<KvRetentionFlip>?)flips ?? [];
    }

    /// <summary>Ends the session at <paramref name="endNs"/> (the cache is freed) and fixes the periodic-refresh baseline.</summary>
    public void Finish(long endNs)
    {
        if (_finished) return;
        if (endNs < _lastTimeNs) throw new ArgumentException($"end {endNs} ns precedes the last step at {_lastTimeNs} ns");
        for (int r = 0; r < _firstLiveNs.Length; r++)
            if (_firstLiveNs[r] >= 0) _periodic += (endNs - _firstLiveNs[r]) / _tRetNs;
        _finished = true;
    }

    /// <summary>The counts so far.</summary>
    public DrEdramCounts Counts
    {
        get
        {
            long onDie = (long)_liveSlots * Layout.EntryBytes;
            return new DrEdramCounts
            {
                Steps = NextPosition, RowReads = _rowReads, RowWrites = _rowWrites, RefreshesIssued = _refreshes,
                PeriodicRefreshBaseline = _periodic, RetentionViolations = _violations, BitFlips = _flips,
                EdramReadBytes = _edramRead, EdramWriteBytes = _edramWrite, SpillWriteBytes = _spillWrite, SpillReadBytes = _spillRead,
                KvOnDieBytes = onDie, KvSpilledBytes = (long)Layout.Shape.Layers * NextPosition * Layout.EntryBytes - onDie,
                LiveRows = _liveSlotsInRow.Count(c => c > 0), BankActivations = [.. _bankActivations],
            };
        }
    }

    /// <summary>Runs a whole session and returns the counts with the refresh thresholds.</summary>
    public static DrEdramReport Simulate(DrEdramConfig config, KvSession session)
    {
        session.Validate();
        var edram = new DrEdram(config, session.Shape, session.Positions);
        foreach (TokenStep s in session.Steps()) edram.Step(s.TimeNs);
        edram.Finish(session.EndNs());
        return new DrEdramReport(edram.Layout, edram.Counts, RefreshThresholds.For(config, session));
    }

    private void AddLive(int g, int delta)
    {
        _liveSlots += delta;
        var (first, last) = RowsOf(g);
        for (long r = first; r <= last; r++) _liveSlotsInRow[r] += delta;
    }

    /// <summary>First and last row covered by global slot <paramref name="g"/>.</summary>
    private (long First, long Last) RowsOf(int g)
    {
        long a = g * Layout.EntryBytes;
        return (a / Config.RowBytes, (a + Layout.EntryBytes - 1) / Config.RowBytes);
    }
}

/// <summary>Result of <see cref="DrEdram.Simulate"/>.</summary>
public sealed record DrEdramReport(DrEdramLayout Layout, DrEdramCounts Counts, RefreshThresholds Thresholds);
