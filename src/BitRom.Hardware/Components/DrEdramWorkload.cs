namespace BitRom.Hardware.Components;

/// <summary>
/// The KV-cache shape of a decoder, as plain numbers (Hardware never sees the model, STYLE.md §2.1).
/// A KV entry is one layer's K and V of one position: 2 · KvHeads · HeadDim values.
/// </summary>
public sealed record KvShape(int Layers, int KvHeads, int HeadDim)
{
    /// <summary>K (or V) width of one entry: KvHeads · HeadDim values.</summary>
    public int KvDim => KvHeads * HeadDim;

    /// <summary>
    /// Bytes of one KV entry at <paramref name="kvBits"/>: 2 · KvDim · bits / 8, plus, at 8 bits, one scale of
    /// <paramref name="scaleBytesPerHead"/> per head for K and for V. Layout: K values, K scales, V values, V scales.
    /// </summary>
    public long EntryBytes(int kvBits, int scaleBytesPerHead) =>
        2L * (ValueBytes(kvBits) + (kvBits == 8 ? (long)KvHeads * scaleBytesPerHead : 0));

    /// <summary>Bytes of the K (or V) values of one entry, without scales.</summary>
    public long ValueBytes(int kvBits) => (long)KvDim * kvBits / 8;

    /// <summary>Throws naming the first non-positive dimension.</summary>
    public KvShape Validate()
    {
        if (Layers <= 0 || KvHeads <= 0 || HeadDim <= 0)
            throw new ArgumentException($"KV shape: layers {Layers}, kv heads {KvHeads}, head dim {HeadDim} must be positive");
        return this;
    }
}

/// <summary>One request of a session: <paramref name="PromptTokens"/> prefill steps, then <paramref name="DecodeSteps"/> decode steps.</summary>
public sealed record KvRequest(int PromptTokens, int DecodeSteps);

/// <summary>Phase of a token step.</summary>
public enum TokenPhase
{
    /// <summary>A prompt token.</summary>
    Prefill,
    /// <summary>A generated token fed back.</summary>
    Decode,
}

/// <summary>One token step of the timeline: the position it writes, when, and in which phase.</summary>
public readonly record struct TokenStep(int Position, long TimeNs, TokenPhase Phase);

/// <summary>
/// A workload timeline [model choice]: the requests of one conversation, whose KV cache persists across requests.
/// Token steps are serial (DESIGN.md §5.4, tokens_per_read = 1): step at position p reads the p cached entries of
/// every layer, then writes entry p. Steps start at t = 0; a prefill step lasts <see cref="PrefillTokenPeriodSeconds"/>,
/// a decode step <see cref="TokenPeriodSeconds"/>; between requests the chip idles <see cref="IdleSeconds"/>.
/// The session ends after its last step and frees the cache.
/// </summary>
public sealed record KvSession
{
    /// <summary>KV shape.</summary>
    public required KvShape Shape { get; init; }

    /// <summary>Requests in order.</summary>
    public required IReadOnlyList<KvRequest> Requests { get; init; }

    /// <summary>Time between decode tokens (seconds).</summary>
    public required double TokenPeriodSeconds { get; init; }

    /// <summary>Time per prompt token in prefill (seconds); defaults to the token period when null.</summary>
    public double? PrefillTokenPeriodSeconds { get; init; }

    /// <summary>Idle time between requests (seconds).</summary>
    public double IdleSeconds { get; init; }

    /// <summary>Positions written over the whole session.</summary>
    public int Positions => Requests.Sum(r => r.PromptTokens + r.DecodeSteps);

    /// <summary>One request of <paramref name="prompt"/> + <paramref name="decode"/> steps.</summary>
    public static KvSession Single(KvShape shape, int prompt, int decode, double tokenPeriodSeconds) =>
        new() { Shape = shape, Requests = [new KvRequest(prompt, decode)], TokenPeriodSeconds = tokenPeriodSeconds };

    /// <summary>Checks the fields; throws naming the first offending one.</summary>
    public KvSession Validate()
    {
        Shape.Validate();
        static void NonNegativeSeconds(double v, string name)
        {
            if (!(v >= 0) || !double.IsFinite(v)) throw new ArgumentException($"KV session: {name} = {v} s must be >= 0 and finite");
        }
        NonNegativeSeconds(TokenPeriodSeconds, nameof(TokenPeriodSeconds));
        NonNegativeSeconds(PrefillTokenPeriodSeconds ?? 0, nameof(PrefillTokenPeriodSeconds));
        NonNegativeSeconds(IdleSeconds, nameof(IdleSeconds));
        for (int i = 0; i < Requests.Count; i++)
            if (Requests[i].PromptTokens < 0 || Requests[i].DecodeSteps < 0)
                throw new ArgumentException($"KV session: request {i} has {Requests[i].PromptTokens} prompt and {Requests[i].DecodeSteps} decode steps");
        if (Requests.Sum(r => (long)r.PromptTokens + r.DecodeSteps) > int.MaxValue) throw new ArgumentException("KV session: too many positions");
        return this;
    }

    /// <summary>The token steps with their times, in order.</summary>
    public IEnumerable<TokenStep> Steps()
    {
        long tokenNs = ToNs(TokenPeriodSeconds), prefillNs = ToNs(PrefillTokenPeriodSeconds ?? TokenPeriodSeconds), idleNs = ToNs(IdleSeconds);
        long t = 0;
        int pos = 0;
        for (int r = 0; r < Requests.Count; r++)
        {
            if (r > 0) t += idleNs;
            for (int i = 0; i < Requests[r].PromptTokens; i++, t += prefillNs) yield return new TokenStep(pos++, t, TokenPhase.Prefill);
            for (int i = 0; i < Requests[r].DecodeSteps; i++, t += tokenNs) yield return new TokenStep(pos++, t, TokenPhase.Decode);
        }
    }

    /// <summary>End of the session: the time after the last step (0 for an empty session).</summary>
    public long EndNs()
    {
        long end = 0, tokenNs = ToNs(TokenPeriodSeconds), prefillNs = ToNs(PrefillTokenPeriodSeconds ?? TokenPeriodSeconds);
        foreach (TokenStep s in Steps()) end = s.TimeNs + (s.Phase == TokenPhase.Decode ? tokenNs : prefillNs);
        return end;
    }

    /// <summary>Seconds to whole nanoseconds (the simulation clock).</summary>
    public static long ToNs(double seconds) => (long)Math.Round(seconds * 1e9, MidpointRounding.ToEven);
}
