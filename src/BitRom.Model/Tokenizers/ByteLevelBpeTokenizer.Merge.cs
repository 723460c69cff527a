namespace BitRom.Model.Tokenizers;

public sealed partial class ByteLevelBpeTokenizer
{
    /// <summary>One symbol of the merge list: its text and neighbours (llama.cpp <c>llm_symbol</c>).</summary>
    private struct Symbol
    {
        public string Text;
        public int Prev, Next;
    }

    /// <summary>BPE over one byte-level piece, appending ids.</summary>
    private void EncodePiece(string word, List<int> ids)
    {
        if (word.Length == 0) return;
        if (IgnoreMerges && _vocab.TryGetValue(word, out int whole))
        {
            ids.Add(whole);
            return;
        }
        var sym = new Symbol[word.Length];
        for (int i = 0; i < word.Length; i++) sym[i] = new Symbol { Text = word[i].ToString(), Prev = i - 1, Next = i + 1 < word.Length ? i + 1 : -1 };

        // Lowest rank first, then leftmost: the priority (rank, left) orders exactly as llama.cpp's comparator.
        var queue = new PriorityQueue<(int Left, int Right, string Merged), (int Rank, int Left)>();
        void Add(int left, int right)
        {
            if (left < 0 || right < 0) return;
            if (_ranks.TryGetValue((sym[left].Text, sym[right].Text), out int rank))
                queue.Enqueue((left, right, sym[left].Text + sym[right].Text), (rank, left));
        }
        for (int i = 1; i < word.Length; i++) Add(i - 1, i);
        while (queue.TryDequeue(out var b, out _))
        {
            ref Symbol l = ref sym[b.Left];
            ref Symbol r = ref sym[b.Right];
            // Skip stale entries: a side was merged away, or the pair no longer spells the same text.
            if (l.Text.Length == 0 || r.Text.Length == 0 || l.Next != b.Right || l.Text.Length + r.Text.Length != b.Merged.Length
                || !string.Equals(l.Text + r.Text, b.Merged, StringComparison.Ordinal)) continue;
            l.Text = b.Merged;
            r.Text = "";
            l.Next = r.Next;
            if (r.Next >= 0) sym[r.Next].Prev = b.Left;
            Add(l.Prev, b.Left);
            Add(b.Left, l.Next);
        }
        for (int i = 0; i >= 0; i = sym[i].Next)
        {
            if (_vocab.TryGetValue(sym[i].Text, out int id))
            {
                ids.Add(id);
                continue;
            }
            // A merge result missing from the vocabulary falls back to its byte tokens, skipping unknown ones (llama.cpp).
            foreach (char c in sym[i].Text)
                if (_vocab.TryGetValue(c.ToString(), out int byteId)) ids.Add(byteId);
        }
    }
}
