using System.Buffers.Binary;
using System.Text;

namespace BitRom.Model.Tokenizers;

/// <summary>Piece types of SentencePiece (<c>sentencepiece_model.proto</c> <c>SentencePiece.Type</c>); GGUF token_type uses the same numbers.</summary>
public enum PieceType
{
    /// <summary>Ordinary piece.</summary>
    Normal = 1,
    /// <summary>The unknown piece.</summary>
    Unknown = 2,
    /// <summary>Control symbol (&lt;s&gt;, &lt;/s&gt;): never produced from text, decodes to nothing.</summary>
    Control = 3,
    /// <summary>User-defined symbol: matched verbatim in text.</summary>
    UserDefined = 4,
    /// <summary>Unused slot.</summary>
    Unused = 5,
    /// <summary>Byte-fallback piece &lt;0xXX&gt;.</summary>
    Byte = 6,
}

/// <summary>One piece of a SentencePiece vocabulary.</summary>
public readonly record struct Piece(string Text, float Score, PieceType Type);

/// <summary>
/// Writes the subset of SentencePiece's <c>ModelProto</c> (google/sentencepiece <c>src/sentencepiece_model.proto</c>)
/// that a BPE model needs: pieces (1), trainer_spec (2: model_type 3, byte_fallback 35, unk/bos/eos/pad ids 40-43)
/// and normalizer_spec (3: name 1, add_dummy_prefix 3, remove_extra_whitespaces 4, escape_whitespaces 5).
/// Used to hand GGUF <c>llama</c> vocabularies to Microsoft.ML.Tokenizers and to write test models.
/// </summary>
public static class SentencePieceModelProto
{
    /// <summary>trainer_spec.model_type BPE (<c>TrainerSpec.ModelType</c>).</summary>
    public const int ModelTypeBpe = 2;

    /// <summary>Serializes a BPE model.</summary>
    public static byte[] Write(IReadOnlyList<Piece> pieces, int unkId, int bosId, int eosId, bool addDummyPrefix, bool byteFallback)
    {
        using var ms = new MemoryStream();
        foreach (Piece p in pieces)
        {
            using var pm = new MemoryStream();
            Bytes(pm, 1, Encoding.UTF8.GetBytes(p.Text));
            Fixed32(pm, 2, p.Score);
            Varint(pm, 3, (ulong)p.Type);
            Bytes(ms, 1, pm.ToArray());
        }
        using (var ts = new MemoryStream())
        {
            Varint(ts, 3, ModelTypeBpe);
            Varint(ts, 4, (ulong)pieces.Count);
            Varint(ts, 35, byteFallback ? 1UL : 0UL);
            Varint(ts, 40, (ulong)(long)unkId);
            Varint(ts, 41, (ulong)(long)bosId);
            Varint(ts, 42, (ulong)(long)eosId);
            Varint(ts, 43, unchecked((ulong)-1L));
            Bytes(ms, 2, ts.ToArray());
        }
        using (var ns = new MemoryStream())
        {
            Bytes(ns, 1, "identity"u8.ToArray());
            Varint(ns, 3, addDummyPrefix ? 1UL : 0UL);
            Varint(ns, 4, 0);
            Varint(ns, 5, 1);
            Bytes(ms, 3, ns.ToArray());
        }
        return ms.ToArray();
    }

    private static void Key(Stream s, int field, int wire) => Raw(s, (ulong)((field << 3) | wire));

    private static void Raw(Stream s, ulong v)
    {
        while (v >= 0x80)
        {
            s.WriteByte((byte)(v | 0x80));
            v >>= 7;
        }
        s.WriteByte((byte)v);
    }

    private static void Varint(Stream s, int field, ulong v)
    {
        Key(s, field, 0);
        Raw(s, v);
    }

    private static void Fixed32(Stream s, int field, float v)
    {
        Key(s, field, 5);
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(b, v);
        s.Write(b);
    }

    private static void Bytes(Stream s, int field, byte[] v)
    {
        Key(s, field, 2);
        Raw(s, (ulong)v.Length);
        s.Write(v);
    }
}
