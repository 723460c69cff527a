using System.Text;

namespace BitRom.Model.Tokenizers;

/// <summary>
/// Byte-level BPE (GPT-2 / Llama-3 / Falcon3 vocabularies): special tokens split out first (longest first, as
/// llama.cpp <c>tokenizer_st_partition</c>), the rest pre-tokenized by regex, each piece turned into its byte-level
/// string and merged by merge rank (lowest first, leftmost on ties: HF <c>BPE</c> and llama.cpp
/// <c>llm_tokenizer_bpe_session</c>). With <see cref="IgnoreMerges"/> a piece that is itself a token is taken whole
/// (HF <c>ignore_merges</c>, which Llama-3 sets; llama.cpp does the same for its LLAMA3 pre-type).
/// </summary>
/// <remarks>
/// Why not Microsoft.ML.Tokenizers (FORMATS.md §5): its <c>BpeTokenizer</c> has no <c>ignore_merges</c> and splits
/// special tokens with its own rules, and its <c>TiktokenTokenizer</c> merges by the rank of the merged token's id,
/// which equals the merge-list order only for vocabularies built that way (Llama-3), not for any tokenizer.json.
/// Contract: immutable and thread-safe.
/// </remarks>
public sealed partial class ByteLevelBpeTokenizer : ITokenizer
{
    private readonly Dictionary<string, int> _vocab;
    private readonly string?[] _idToToken;
    private readonly Dictionary<(string, string), int> _ranks;
    private readonly SpecialToken[] _specialsLongestFirst;
    private readonly Dictionary<int, SpecialToken> _specialById;
    private readonly PreTokenizer _pre;

    /// <summary>Builds a tokenizer; vocabulary strings are byte-level, merges are (left, right) in priority order.</summary>
    public ByteLevelBpeTokenizer(IReadOnlyDictionary<string, int> vocab, IReadOnlyList<(string Left, string Right)> merges,
        IReadOnlyList<SpecialToken> specials, PreTokenizer preTokenizer, bool ignoreMerges, int bos, int eos, int vocabSize = 0)
    {
        int maxId = Math.Max(vocab.Count == 0 ? -1 : vocab.Values.Max(), specials.Count == 0 ? -1 : specials.Max(s => s.Id));
        // Real vocabularies are dense (ids 0..n-1); a stray huge id in a file must not size the id table.
        long idLimit = Math.Max(vocabSize, 2L * (vocab.Count + specials.Count) + MaxIdSlack);
        if (maxId >= idLimit) throw new InvalidDataException($"token id {maxId} is far outside a vocabulary of {vocab.Count + specials.Count} entries");
        VocabSize = Math.Max(vocabSize, maxId + 1);
        _idToToken = new string?[VocabSize];
        _vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (text, id) in vocab)
        {
            if (id < 0) throw new InvalidDataException($"token '{text}' has negative id {id}");
            _vocab[text] = id;
            _idToToken[id] = text;
        }
        _ranks = new Dictionary<(string, string), int>();
        for (int i = 0; i < merges.Count; i++) _ranks.TryAdd(merges[i], i);
        _specialById = new Dictionary<int, SpecialToken>();
        foreach (SpecialToken s in specials)
        {
            if (s.Id < 0 || s.Content.Length == 0) throw new InvalidDataException($"special token '{s.Content}' with id {s.Id} is invalid");
            _specialById[s.Id] = s;
        }
        _specialsLongestFirst = SpecialTokenSplitter.LongestFirst(specials);
        _pre = preTokenizer;
        IgnoreMerges = ignoreMerges;
        BosToken = bos;
        EosToken = eos;
    }

    /// <summary>Ids may exceed twice the entry count by this much (padding slots of real vocabularies).</summary>
    public const int MaxIdSlack = 4096;

    /// <inheritdoc />
    public int VocabSize { get; }
    /// <inheritdoc />
    public int BosToken { get; }
    /// <inheritdoc />
    public int EosToken { get; }
    /// <summary>A piece that is a whole token is emitted without merging.</summary>
    public bool IgnoreMerges { get; }
    /// <summary>Special tokens (added tokens).</summary>
    public IReadOnlyCollection<SpecialToken> Specials => _specialById.Values;

    /// <summary>The id of a byte-level token string or special token content, or −1.</summary>
    public int TokenId(string token)
    {
        if (_vocab.TryGetValue(token, out int id)) return id;
        foreach (SpecialToken s in _specialsLongestFirst) if (s.Content == token) return s.Id;
        return -1;
    }

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text, bool addBos) => Encode(text, addBos, parseSpecial: true);

    /// <summary>
    /// Encodes <paramref name="text"/>; with <paramref name="parseSpecial"/> false only user-defined added tokens are
    /// matched verbatim, control tokens are tokenized as text (llama.cpp <c>parse_special</c>).
    /// </summary>
    public IReadOnlyList<int> Encode(string text, bool addBos, bool parseSpecial)
    {
        var ids = new List<int>();
        if (addBos && BosToken >= 0) ids.Add(BosToken);
        foreach (SpecialTokenSplitter.Fragment f in SpecialTokenSplitter.Partition(text, _specialsLongestFirst, parseSpecial))
        {
            if (f.Special >= 0) { ids.Add(f.Special); continue; }
            foreach (string piece in _pre.SplitToByteLevel(f.Text)) EncodePiece(piece, ids);
        }
        return ids;
    }

    /// <inheritdoc />
    public byte[] TokenBytes(int id)
    {
        if ((uint)id >= (uint)VocabSize) throw new ArgumentOutOfRangeException(nameof(id), id, $"vocabulary has {VocabSize} ids");
        if (_specialById.TryGetValue(id, out SpecialToken? s)) return s.Control ? [] : Encoding.UTF8.GetBytes(s.Content);
        string? t = _idToToken[id];
        if (t is null) return [];
        return ByteLevel.TryDecode(t) ?? Encoding.UTF8.GetBytes(t);
    }

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids)
    {
        var bytes = new List<byte>();
        foreach (int id in ids) bytes.AddRange(TokenBytes(id));
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
