using BitRom.Model.Synthetic;
using BitRom.Model.Tokenizers;

namespace BitRom.Model.Training;

/// <summary>
/// A tokenized corpus and how training and evaluation read it. Every sequence is BOS followed by text tokens:
/// training windows start at a random line start (so the model learns what follows BOS); evaluation covers the
/// text in consecutive chunks of seqLen tokens, so every token is predicted exactly once (the first of each chunk
/// from BOS alone). A row: inputs = BOS, t_s..t_{s+L−2}; targets = t_s..t_{s+L−1}.
/// </summary>
public sealed class TokenDataset
{
    /// <summary>Wraps token ids and the positions where lines start.</summary>
    public TokenDataset(int[] tokens, int[] lineStarts)
    {
        Tokens = tokens;
        LineStarts = lineStarts;
    }

    /// <summary>Token ids of the whole text.</summary>
    public int[] Tokens { get; }
    /// <summary>Indices of tokens that begin a line (0 and every token after one ending in '\n').</summary>
    public int[] LineStarts { get; }

    /// <summary>Tokenizes <paramref name="text"/> (no BOS) and finds the line starts.</summary>
    public static TokenDataset FromText(ITokenizer tokenizer, string text)
    {
        int[] tokens = [.. tokenizer.Encode(text, addBos: false)];
        var starts = new List<int> { 0 };
        for (int i = 1; i < tokens.Length; i++)
        {
            byte[] prev = tokenizer.TokenBytes(tokens[i - 1]);
            if (prev.Length > 0 && prev[^1] == (byte)'\n') starts.Add(i);
        }
        return new TokenDataset(tokens, [.. starts]);
    }

    /// <summary>Fills row <paramref name="row"/> with a training window starting at a random line start.</summary>
    public void Sample(ref SplitMix64 rng, int seqLen, int bos, int[] inputs, int[] targets, int row)
    {
        int text = seqLen;
        if (Tokens.Length < text) throw new InvalidOperationException($"corpus of {Tokens.Length} tokens is shorter than a sequence of {seqLen}");
        int limit = Tokens.Length - text;
        int start;
        do start = LineStarts[(int)(rng.Next() % (ulong)LineStarts.Length)];
        while (start > limit);
        FillRow(start, text, seqLen, bos, inputs, targets, row);
    }

    /// <summary>Evaluation chunks: each scores <paramref name="seqLen"/> consecutive tokens (the first predicted from BOS alone).</summary>
    public int ChunkCount(int seqLen) => (Tokens.Length + seqLen - 1) / seqLen;

    /// <summary>Fills row <paramref name="row"/> with evaluation chunk <paramref name="chunk"/>; unused positions get target −1.</summary>
    public void Chunk(int chunk, int seqLen, int bos, int[] inputs, int[] targets, int row)
    {
        int start = chunk * seqLen;
        FillRow(start, Math.Min(seqLen, Tokens.Length - start), seqLen, bos, inputs, targets, row);
    }

    private void FillRow(int start, int count, int seqLen, int bos, int[] inputs, int[] targets, int row)
    {
        int o = row * seqLen;
        for (int j = 0; j < seqLen; j++)
        {
            bool used = j < count;
            inputs[o + j] = j == 0 ? bos : used || j - 1 < count ? Tokens[start + j - 1] : bos;
            targets[o + j] = used ? Tokens[start + j] : -1;
        }
    }
}
