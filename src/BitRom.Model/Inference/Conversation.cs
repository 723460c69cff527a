using BitRom.Model.Tokenizers;

namespace BitRom.Model.Inference;

/// <summary>
/// A multi-turn chat over one model: each turn renders the whole history with the model's chat template (or, for a
/// model without one, appends the user's text to the running transcript) and generates the reply. The history is
/// re-run each turn, which keeps the KV cache logic of <see cref="Generator"/> simple and the output identical to a
/// single-shot generation of the same text.
/// </summary>
public sealed class Conversation
{
    private readonly Generator _generator;
    private readonly ITokenizer _tokenizer;
    private readonly ChatTemplate? _template;
    private readonly List<ChatMessage> _messages = [];
    private readonly int _endOfTurn;
    private string _transcript = "";

    /// <summary>Starts an empty conversation; <paramref name="template"/> null means plain continuation.</summary>
    public Conversation(Generator generator, ITokenizer tokenizer, ChatTemplate? template, string? system = null)
    {
        _generator = generator;
        _tokenizer = tokenizer;
        _template = template;
        if (!string.IsNullOrWhiteSpace(system)) _messages.Add(new ChatMessage("system", system));
        _endOfTurn = EndOfTurnId(tokenizer, template);
    }

    /// <summary>Messages so far (system, user and assistant turns).</summary>
    public IReadOnlyList<ChatMessage> Messages => _messages;

    /// <summary>Adds the user's message, generates the reply (stopping at EOS or the template's end of turn) and records it.</summary>
    public GenerationResult Reply(string user, int maxTokens, SamplerOptions sampling, Action<int>? onToken = null)
    {
        _messages.Add(new ChatMessage("user", user));
        string prompt = _template is not null ? _template.Apply(_messages) : _transcript + user;
        int endOfTurn = _endOfTurn;
        var reply = new List<int>();
        GenerationResult r = _generator.Generate(prompt, maxTokens, sampling, id =>
        {
            if (id == endOfTurn || id == _tokenizer.EosToken) return;
            reply.Add(id);
            onToken?.Invoke(id);
        }, stop: id => id == endOfTurn);
        string text = _tokenizer.Decode(reply);
        _messages.Add(new ChatMessage("assistant", text));
        _transcript = prompt + text;
        return r;
    }

    /// <summary>The single token that ends an assistant turn under the template, or −1.</summary>
    private static int EndOfTurnId(ITokenizer tokenizer, ChatTemplate? template)
    {
        if (template is null) return -1;
        IReadOnlyList<int> ids = tokenizer.Encode(template.EndOfTurn, addBos: false);
        return ids.Count == 1 ? ids[0] : -1;
    }
}
