namespace BitRom.Model.Tokenizers;

/// <summary>
/// Text ↔ token ids. Contract: <see cref="Decode"/> of <see cref="Encode"/> returns the text (for byte-level
/// vocabularies, exactly); implementations are immutable and thread-safe.
/// </summary>
public interface ITokenizer
{
    /// <summary>Vocabulary size, including special tokens.</summary>
    int VocabSize { get; }

    /// <summary>Beginning-of-sequence id, or −1.</summary>
    int BosToken { get; }

    /// <summary>End-of-sequence id, or −1.</summary>
    int EosToken { get; }

    /// <summary>Token ids of <paramref name="text"/>, with BOS first when <paramref name="addBos"/> and the vocabulary has one.</summary>
    IReadOnlyList<int> Encode(string text, bool addBos);

    /// <summary>The bytes token <paramref name="id"/> stands for (special tokens: their text, or empty).</summary>
    byte[] TokenBytes(int id);

    /// <summary>Text of a token sequence (bytes joined, then decoded as UTF-8 with replacement of invalid sequences).</summary>
    string Decode(IEnumerable<int> ids);
}
