using System.Text;

namespace BitRom.Model.Tokenizers;

/// <summary>
/// The tokenizer of synthetic models: ids 0..255 are the bytes of the UTF-8 text; ids above are specials
/// (BOS/EOS) or unnamed tokens rendered as <c>&lt;id&gt;</c>. Lossless for any text.
/// </summary>
public sealed class ByteTokenizer : ITokenizer
{
    /// <summary>A byte vocabulary of <paramref name="vocabSize"/> ≥ 256 ids.</summary>
    public ByteTokenizer(int vocabSize, int bos = -1, int eos = -1)
    {
        if (vocabSize < 256) throw new ArgumentException($"a byte tokenizer needs at least 256 ids, the model has {vocabSize}");
        VocabSize = vocabSize;
        BosToken = bos;
        EosToken = eos;
    }

    /// <inheritdoc />
    public int VocabSize { get; }
    /// <inheritdoc />
    public int BosToken { get; }
    /// <inheritdoc />
    public int EosToken { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text, bool addBos)
    {
        var ids = new List<int>();
        if (addBos && BosToken >= 0) ids.Add(BosToken);
        foreach (byte b in Encoding.UTF8.GetBytes(text)) ids.Add(b);
        return ids;
    }

    /// <inheritdoc />
    public byte[] TokenBytes(int id)
    {
        if ((uint)id >= (uint)VocabSize) throw new ArgumentOutOfRangeException(nameof(id), id, $"vocabulary has {VocabSize} ids");
        if (id < 256) return [(byte)id];
        if (id == BosToken || id == EosToken) return [];
        return Encoding.UTF8.GetBytes($"<{id}>");
    }

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids)
    {
        var bytes = new List<byte>();
        foreach (int id in ids) bytes.AddRange(TokenBytes(id));
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
