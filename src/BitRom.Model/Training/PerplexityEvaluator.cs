using System.Diagnostics;
using System.Text;
using BitRom.Model.Inference;
using BitRom.Model.Tokenizers;

namespace BitRom.Model.Training;

/// <summary>Result of a perplexity run: tokens scored, mean negative log-likelihood (nats), perplexity = exp(NLL).</summary>
public sealed record PerplexityResult(long Tokens, int Chunks, double MeanNll, double Seconds)
{
    /// <summary>exp(mean NLL).</summary>
    public double Perplexity => Math.Exp(MeanNll);
    /// <summary>Scored tokens per second.</summary>
    public double TokensPerSecond => Seconds > 0 ? Tokens / Seconds : 0;
}

/// <summary>
/// Perplexity of a model on a text of any length, streamed: the text is read in blocks cut where a line ends and the
/// next starts with a non-space character (a piece boundary of the GPT-2 pre-tokenizer, so streaming tokenizes as the
/// whole file would), tokenized, and scored in chunks of <c>context</c> tokens. Each chunk runs from an empty KV cache
/// as BOS followed by context − 1 text tokens and scores context tokens, the first from BOS alone: every token is
/// predicted exactly once, as in the trainer's validation (<see cref="TokenDataset.Chunk"/>).
/// </summary>
public static class PerplexityEvaluator
{
    /// <summary>Characters read per block before looking for a cut.</summary>
    public const int BlockChars = 1 << 16;

    /// <summary>Scores <paramref name="reader"/>; <paramref name="progress"/> receives the characters consumed so far.</summary>
    public static PerplexityResult Evaluate(Transformer model, ITokenizer tokenizer, TextReader reader, int context = 0, IProgress<long>? progress = null, CancellationToken cancel = default)
    {
        int ctx = context > 0 ? Math.Min(context, model.ContextLength) : model.ContextLength;
        if (ctx < 1) throw new ArgumentException($"context {ctx} must be positive");
        if (tokenizer.BosToken < 0) throw new ArgumentException("the tokenizer has no BOS token to start each chunk with");
        var clock = Stopwatch.StartNew();
        var pending = new List<int>();
        var input = new int[ctx];
        double nll = 0;
        long scored = 0, consumed = 0;
        int chunks = 0;

        void Score(int count)
        {
            // inputs: BOS, t_0..t_{count−2}; targets: t_0..t_{count−1}
            input[0] = tokenizer.BosToken;
            for (int j = 1; j < count; j++) input[j] = pending[j - 1];
            ReadOnlySpan<float> logits = model.Forward(input.AsSpan(0, count), 0, allLogits: true);
            int v = model.Config.VocabSize;
            for (int j = 0; j < count; j++) nll += NegativeLogLikelihood(logits.Slice(j * v, v), pending[j]);
            scored += count;
            chunks++;
            pending.RemoveRange(0, count);
        }

        foreach (string block in Blocks(reader))
        {
            cancel.ThrowIfCancellationRequested();
            pending.AddRange(tokenizer.Encode(block, addBos: false));
            while (pending.Count >= ctx) Score(ctx);
            consumed += block.Length;
            progress?.Report(consumed);
        }
        if (pending.Count > 0) Score(pending.Count);
        if (scored == 0) throw new InvalidDataException("the text has no tokens to score");
        return new PerplexityResult(scored, chunks, nll / scored, clock.Elapsed.TotalSeconds);
    }

    /// <summary>−log softmax(z)[target], in double.</summary>
    public static double NegativeLogLikelihood(ReadOnlySpan<float> z, int target)
    {
        if ((uint)target >= (uint)z.Length) throw new ArgumentOutOfRangeException(nameof(target), target, $"vocabulary of {z.Length}");
        float max = float.NegativeInfinity;
        foreach (float x in z) if (x > max) max = x;
        double sum = 0;
        foreach (float x in z) sum += Math.Exp(x - max);
        return max + Math.Log(sum) - z[target];
    }

    /// <summary>The text in blocks, each cut after a '\n' that is followed by a non-whitespace character.</summary>
    internal static IEnumerable<string> Blocks(TextReader reader)
    {
        var buffer = new StringBuilder();
        var chunk = new char[BlockChars];
        int read;
        while ((read = reader.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Append(chunk, 0, read);
            int cut = -1;
            for (int i = buffer.Length - 1; i > 0; i--)
                if (buffer[i - 1] == '\n' && !char.IsWhiteSpace(buffer[i])) { cut = i; break; }
            if (cut <= 0) continue;
            yield return buffer.ToString(0, cut);
            buffer.Remove(0, cut);
        }
        if (buffer.Length > 0) yield return buffer.ToString();
    }
}
