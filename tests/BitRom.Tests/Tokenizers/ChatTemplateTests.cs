using BitRom.Model.Tokenizers;
using Xunit;

namespace BitRom.Tests.Tokenizers;

public class ChatTemplateTests
{
    private static readonly ChatMessage[] Conversation = [new("system", "Be brief."), new("user", " Hi! ")];

    [Fact]
    public void Apply_Llama3_RendersHeadersAndOpensAssistant()
    {
        var t = new ChatTemplate(ChatFormat.Llama3, "<|begin_of_text|>");
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>" +
            "<|start_header_id|>user<|end_header_id|>\n\nHi!<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            t.Apply(Conversation));
    }

    [Fact]
    public void Apply_Falcon3_RendersRoleTags()
    {
        Assert.Equal("<|system|>\nBe brief.\n<|user|>\n Hi! \n<|assistant|>\n", new ChatTemplate(ChatFormat.Falcon3).Apply(Conversation));
    }

    [Fact]
    public void Apply_BitNet2B4T_CapitalisesRolesAndTrims()
    {
        Assert.Equal("System: Be brief.<|eot_id|>User: Hi!<|eot_id|>Assistant: ", new ChatTemplate(ChatFormat.BitNet2B4T).Apply(Conversation));
    }

    [Theory]
    [InlineData("{% for m in messages %}<|start_header_id|>{{ m.role }}...", ChatFormat.Llama3)]
    [InlineData("{% if m.role == 'user' %}{{ '<|user|>\\n' }}...{{ '<|assistant|>\\n' }}", ChatFormat.Falcon3)]
    [InlineData("{{ message['role'] | capitalize + ': ' + message['content'] | trim + '<|eot_id|>' }}{% if add_generation_prompt %}{{ 'Assistant: ' }}{% endif %}", ChatFormat.BitNet2B4T)]
    public void Detect_KnownTemplates(string jinja, ChatFormat expected)
    {
        Assert.Equal(expected, ChatTemplate.Detect(jinja)!.Format);
    }

    [Fact]
    public void Detect_UnknownTemplate_IsNull_AndBadRoleThrows()
    {
        Assert.Null(ChatTemplate.Detect("{{ messages }}"));
        Assert.Null(ChatTemplate.Detect(null));
        Assert.Throws<ArgumentException>(() => new ChatTemplate(ChatFormat.Llama3).Apply([new("tool", "x")]));
    }

    [Fact]
    public void Apply_Llama3Prompt_TokenizesSpecialsAsSingleIds()
    {
        string prompt = new ChatTemplate(ChatFormat.Llama3).Apply([new("user", "hello")]);
        IReadOnlyList<int> ids = TinyVocab.Llama3().Encode(prompt, false);
        Assert.Equal(1, ids.Count(i => i == TinyVocab.EotId));
    }
}
