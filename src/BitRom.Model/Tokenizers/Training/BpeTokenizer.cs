using System.Collections.Concurrent;
using System.Text;

namespace BitRom.Model.Tokenizers.Training;

/// <summary>
/// Byte-level BPE encoder/decoder over a <see cref="BpeVocabulary"/> (GPT-2 <c>encoder.py</c> <c>bpe()</c>):
/// each pre-token starts as single bytes and the adjacent pair of lowest merge rank is merged (all its
/// non-overlapping occurrences, left to right) until no pair has a rank. Special tokens are never produced
/// from text. Thread-safe; pieces are cached.
/// </summary>
public sealed class BpeTokenizer : ITokenizer
{
    private readonly BpeVocabulary _vocab;
    private readonly byte[][] _bytes;
    private readonly int[] _byteIds = new int[256];
    private readonly Dictionary<long, (int Rank, int Merged)> _ranks = [];
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);

    /// <summary>Builds the encoder; throws when a merge or a byte token is missing from the vocabulary.</summary>
    public BpeTokenizer(BpeVocabulary vocab)
    {
        _vocab = vocab;
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        _bytes = new byte[vocab.Count][];
        for (int i = 0; i < vocab.Count; i++)
        {
            string t = vocab.Tokens[i];
            bool special = vocab.Specials.Contains(i);
            _bytes[i] = special ? [] : ByteLevel.TryDecode(t) ?? throw new InvalidDataException($"BPE token {i} '{t}' is not in the byte-level alphabet");
            if (!special) ids.TryAdd(t, i);
        }
        for (int b = 0; b < 256; b++)
        {
            if (!ids.TryGetValue(ByteLevel.Char((byte)b).ToString(), out _byteIds[b]))
                throw new InvalidDataException($"BPE vocabulary has no token for byte 0x{b:X2}");
        }
        for (int r = 0; r < vocab.Merges.Count; r++)
        {
            var (l, rt) = vocab.Merges[r];
            if (!ids.TryGetValue(l, out int li) || !ids.TryGetValue(rt, out int ri) || !ids.TryGetValue(l + rt, out int mi))
                throw new InvalidDataException($"BPE merge {r} '{l} {rt}' refers to a token missing from the vocabulary");
            _ranks.TryAdd(Key(li, ri), (r, mi));
        }
    }

    /// <summary>The vocabulary.</summary>
    public BpeVocabulary Vocabulary => _vocab;

    /// <inheritdoc />
    public int VocabSize => _vocab.Count;
    /// <inheritdoc />
    public int BosToken => _vocab.Bos;
    /// <inheritdoc />
    public int EosToken => _vocab.Eos;

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text, bool addBos)
    {
        var ids = new List<int>();
        if (addBos && BosToken >= 0) ids.Add(BosToken);
        foreach (string piece in BytePieces.Split(text)) ids.AddRange(EncodePiece(piece));
        return ids;
    }

    /// <summary>Token ids of arbitrary bytes (invalid UTF-8 included); decoding them gives the bytes back.</summary>
    public List<int> EncodeBytes(byte[] bytes)
    {
        var ids = new List<int>();
        foreach (byte[] piece in BytePieces.Split(bytes)) ids.AddRange(Merge(piece));
        return ids;
    }

    /// <inheritdoc />
    public byte[] TokenBytes(int id)
    {
        if ((uint)id >= (uint)VocabSize) throw new ArgumentOutOfRangeException(nameof(id), id, $"vocabulary has {VocabSize} ids");
        return _bytes[id];
    }

    /// <summary>The bytes of a token sequence (specials contribute nothing).</summary>
    public byte[] DecodeBytes(IEnumerable<int> ids)
    {
        var bytes = new List<byte>();
        foreach (int id in ids) bytes.AddRange(TokenBytes(id));
        return bytes.ToArray();
    }

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids) => Encoding.UTF8.GetString(DecodeBytes(ids));

    private int[] EncodePiece(string piece) => _cache.GetOrAdd(piece, p => Merge(Encoding.UTF8.GetBytes(p)));

    private int[] Merge(byte[] piece)
    {
        var word = new int[piece.Length];
        for (int i = 0; i < piece.Length; i++) word[i] = _byteIds[piece[i]];
        while (word.Length > 1)
        {
            int bestRank = int.MaxValue, bestAt = -1;
            for (int i = 0; i + 1 < word.Length; i++)
                if (_ranks.TryGetValue(Key(word[i], word[i + 1]), out var m) && m.Rank < bestRank) { bestRank = m.Rank; bestAt = i; }
            if (bestAt < 0) break;
            int left = word[bestAt], right = word[bestAt + 1];
            word = BpeTrainer.MergePair(word, left, right, _ranks[Key(left, right)].Merged);
        }
        return word;
    }

    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;
}
