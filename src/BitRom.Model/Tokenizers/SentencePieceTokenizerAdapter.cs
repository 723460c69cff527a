using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace BitRom.Model.Tokenizers;

/// <summary>
/// SentencePiece BPE vocabularies (Llama-2's <c>tokenizer.model</c>, used by 1bitLLM; GGUF <c>llama</c> vocabularies)
/// through Microsoft.ML.Tokenizers' <see cref="LlamaTokenizer"/>. Pieces decode with '▁' as space and &lt;0xXX&gt; as
/// that byte; control and unknown pieces decode to nothing.
/// </summary>
public sealed class SentencePieceTokenizerAdapter : ITokenizer
{
    /// <summary>SentencePiece's whitespace marker U+2581.</summary>
    public const char SpaceMarker = '\u2581';

    private readonly SentencePieceTokenizer _inner;
    private readonly byte[][] _bytes;
    private readonly SpecialToken[] _specials;

    private SentencePieceTokenizerAdapter(SentencePieceTokenizer inner, int vocabSize, IEnumerable<SpecialToken> specials)
    {
        _inner = inner;
        _specials = SpecialTokenSplitter.LongestFirst(specials);
        int pieces = inner.Vocabulary.Count == 0 ? 0 : inner.Vocabulary.Values.Max() + 1;
        // Added-token ids sit just after the pieces; a stray huge id in a config file must not size the table.
        long idLimit = Math.Max(vocabSize, 2L * (pieces + _specials.Length) + ByteLevelBpeTokenizer.MaxIdSlack);
        foreach (SpecialToken t in _specials)
            if (t.Id < 0 || t.Id >= idLimit) throw new InvalidDataException($"added token '{t.Content}' has id {t.Id}, far outside the {pieces} pieces");
        VocabSize = Math.Max(Math.Max(vocabSize, pieces), _specials.Length == 0 ? 0 : _specials.Max(t => t.Id) + 1);
        BosToken = inner.BeginningOfSentenceId;
        EosToken = inner.EndOfSentenceId;
        _bytes = new byte[VocabSize][];
        foreach (var (piece, id) in inner.Vocabulary) _bytes[id] = PieceBytes(piece, id);
        // Added tokens (HF added_tokens_decoder: 1bitLLM's <pad>, </line>) decode to their text unless control.
        foreach (SpecialToken t in _specials) _bytes[t.Id] = t.Control ? [] : Encoding.UTF8.GetBytes(t.Content);
    }

    /// <summary>
    /// Loads a <c>tokenizer.model</c> protobuf; <paramref name="vocabSize"/> pads to the model's vocabulary.
    /// <paramref name="specials"/> are split out of the text first (llama.cpp's special-token parsing).
    /// </summary>
    public static SentencePieceTokenizerAdapter Load(Stream modelProto, string fileName, int vocabSize = 0, IEnumerable<SpecialToken>? specials = null)
    {
        try
        {
            return new SentencePieceTokenizerAdapter(LlamaTokenizer.Create(modelProto, addBeginOfSentence: false, addEndOfSentence: false), vocabSize, specials ?? []);
        }
        catch (Exception e) when (e is not InvalidDataException and not OutOfMemoryException)
        {
            // The library reports malformed protobuf with several exception types; callers see one.
            throw new InvalidDataException($"{fileName}: not a usable SentencePiece model: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public int VocabSize { get; }
    /// <inheritdoc />
    public int BosToken { get; }
    /// <inheritdoc />
    public int EosToken { get; }

    /// <summary>
    /// Encodes each text fragment between special tokens on its own, so each gets the dummy-prefix space, as
    /// llama.cpp's SPM path does after a special token (<c>is_prev_special</c>).
    /// </summary>
    public IReadOnlyList<int> Encode(string text, bool addBos)
    {
        var ids = new List<int>();
        if (addBos && BosToken >= 0) ids.Add(BosToken);
        foreach (SpecialTokenSplitter.Fragment f in SpecialTokenSplitter.Partition(text, _specials, parseSpecial: true))
        {
            if (f.Special >= 0) ids.Add(f.Special);
            else ids.AddRange(_inner.EncodeToIds(f.Text, addBeginningOfSentence: false, addEndOfSentence: false));
        }
        return ids;
    }

    /// <inheritdoc />
    public byte[] TokenBytes(int id)
    {
        if ((uint)id >= (uint)VocabSize) throw new ArgumentOutOfRangeException(nameof(id), id, $"vocabulary has {VocabSize} ids");
        return _bytes[id] ?? [];
    }

    /// <summary>Text of the ids; as SentencePiece does, the space of the dummy prefix at the start is removed.</summary>
    public string Decode(IEnumerable<int> ids) => _inner.Decode(ids, considerSpecialTokens: false);

    private byte[] PieceBytes(string piece, int id)
    {
        if (id == BosToken || id == EosToken || id == _inner.UnknownId) return [];
        if (piece.Length == 6 && piece.StartsWith("<0x", StringComparison.Ordinal) && piece.EndsWith('>')
            && byte.TryParse(piece.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out byte b))
            return [b];
        return Encoding.UTF8.GetBytes(piece.Replace(SpaceMarker, ' '));
    }
}
