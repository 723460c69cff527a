using System.Text;

namespace BitRom.Model.Tokenizers.Training;

/// <summary>
/// Pre-tokenization of the BPE trainer and encoder: the shared <see cref="PreTokenizer"/> with the GPT-2 pattern
/// (what llama.cpp applies for <c>tokenizer.ggml.pre = "gpt2"</c>), extended to arbitrary bytes.
/// </summary>
public static class BytePieces
{
    /// <summary>The GGUF <c>tokenizer.ggml.pre</c> name of this pre-tokenization.</summary>
    public const string PreName = "gpt-2";

    private static readonly PreTokenizer Gpt2 = new([PreTokenizer.Gpt2Pattern]);

    /// <summary>Splits text with the GPT-2 pattern; the pieces concatenate to the text.</summary>
    public static List<string> Split(string text) => Gpt2.Split(text);

    /// <summary>
    /// Splits bytes: maximal valid UTF-8 runs are split with the GPT-2 pattern (each piece re-encoded to UTF-8); every
    /// byte of an invalid UTF-8 sequence is a piece of its own. The pieces concatenate to the input.
    /// </summary>
    public static IEnumerable<byte[]> Split(byte[] bytes)
    {
        int i = 0;
        while (i < bytes.Length)
        {
            int start = i;
            while (i < bytes.Length && Rune.DecodeFromUtf8(bytes.AsSpan(i), out _, out int used) == System.Buffers.OperationStatus.Done) i += used;
            if (i > start)
                foreach (string piece in Split(Encoding.UTF8.GetString(bytes, start, i - start)))
                    yield return Encoding.UTF8.GetBytes(piece);
            if (i < bytes.Length)
            {
                Rune.DecodeFromUtf8(bytes.AsSpan(i), out _, out int bad);
                for (int j = 0; j < Math.Max(bad, 1); j++) yield return [bytes[i + j]];
                i += Math.Max(bad, 1);
            }
        }
    }
}
