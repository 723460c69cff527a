using System.Text;

namespace BitRom.Model.Tokenizers;

/// <summary>One chat turn: role (system, user, assistant) and content.</summary>
public sealed record ChatMessage(string Role, string Content);

/// <summary>The chat formats BitRom knows (no Jinja engine: each is a small explicit renderer).</summary>
public enum ChatFormat
{
    /// <summary>Llama-3 headers: <c>&lt;|start_header_id|&gt;role&lt;|end_header_id|&gt;\n\ncontent&lt;|eot_id|&gt;</c>.</summary>
    Llama3,
    /// <summary>Falcon3 tags: <c>&lt;|system|&gt;\n…\n&lt;|user|&gt;\n…\n&lt;|assistant|&gt;\n</c>.</summary>
    Falcon3,
    /// <summary>microsoft/bitnet-b1.58-2B-4T: <c>Role: content&lt;|eot_id|&gt;</c> with the role capitalised.</summary>
    BitNet2B4T,
}

/// <summary>
/// Renders a conversation into the prompt text of a known template, ending with the assistant's open turn.
/// The text contains the special tokens literally; tokenizers split them out.
/// </summary>
public sealed class ChatTemplate(ChatFormat format, string bosText = "")
{
    /// <summary>The format rendered.</summary>
    public ChatFormat Format { get; } = format;

    /// <summary>BOS text the template starts with (Llama-3: <c>&lt;|begin_of_text|&gt;</c>), or empty.</summary>
    public string BosText { get; } = bosText;

    /// <summary>
    /// Recognises a Jinja <c>chat_template</c> (tokenizer_config.json) by its markers; null when it matches no known format.
    /// </summary>
    public static ChatTemplate? Detect(string? jinja, string bosText = "")
    {
        if (string.IsNullOrEmpty(jinja)) return null;
        // Markers as llama.cpp's llm_chat_detect_template uses them (llama-chat.cpp).
        if (jinja.Contains("<|start_header_id|>", StringComparison.Ordinal)) return new ChatTemplate(ChatFormat.Llama3, bosText);
        if (jinja.Contains("<|assistant|>", StringComparison.Ordinal) && jinja.Contains("<|user|>", StringComparison.Ordinal)) return new ChatTemplate(ChatFormat.Falcon3, bosText);
        if (jinja.Contains("'Assistant: '", StringComparison.Ordinal) && jinja.Contains("<|eot_id|>", StringComparison.Ordinal))
            return new ChatTemplate(ChatFormat.BitNet2B4T, bosText);
        return null;
    }

    /// <summary>Prompt text for <paramref name="messages"/> followed by the opening of the assistant's reply.</summary>
    public string Apply(IEnumerable<ChatMessage> messages)
    {
        var sb = new StringBuilder(BosText);
        foreach (ChatMessage m in messages)
        {
            if (m.Role is not ("system" or "user" or "assistant")) throw new ArgumentException($"chat role '{m.Role}' is not system, user or assistant");
            switch (Format)
            {
                case ChatFormat.Llama3:
                    // Llama-3 Instruct template: content is trimmed.
                    sb.Append("<|start_header_id|>").Append(m.Role).Append("<|end_header_id|>\n\n").Append(m.Content.Trim()).Append("<|eot_id|>");
                    break;
                case ChatFormat.Falcon3:
                    sb.Append("<|").Append(m.Role).Append("|>\n").Append(m.Content).Append('\n');
                    break;
                case ChatFormat.BitNet2B4T:
                    // tokenizer_config.json: role | capitalize + ': ' + content | trim + '<|eot_id|>'.
                    sb.Append(char.ToUpperInvariant(m.Role[0])).Append(m.Role.AsSpan(1)).Append(": ").Append(m.Content.Trim()).Append("<|eot_id|>");
                    break;
            }
        }
        sb.Append(Format switch
        {
            ChatFormat.Llama3 => "<|start_header_id|>assistant<|end_header_id|>\n\n",
            ChatFormat.Falcon3 => "<|assistant|>\n",
            _ => "Assistant: ",
        });
        return sb.ToString();
    }

    /// <summary>The token text that ends an assistant turn.</summary>
    public string EndOfTurn => Format == ChatFormat.Falcon3 ? "<|endoftext|>" : "<|eot_id|>";
}
