using System.Text.RegularExpressions;

namespace BitRom.Model.Lora;

/// <summary>The BitLinear a LoRA module wraps (HF module names; PAPER-NOTES.md §6).</summary>
public enum LoraTarget
{
    /// <summary>self_attn.q_proj (our attn_q).</summary>
    QProj,
    /// <summary>self_attn.k_proj (attn_k).</summary>
    KProj,
    /// <summary>self_attn.v_proj (attn_v).</summary>
    VProj,
    /// <summary>self_attn.o_proj (attn_output).</summary>
    OProj,
    /// <summary>mlp.gate_proj (ffn_gate).</summary>
    GateProj,
    /// <summary>mlp.up_proj (ffn_up).</summary>
    UpProj,
    /// <summary>mlp.down_proj (ffn_down).</summary>
    DownProj,
}

/// <summary>Names of LoRA targets: HF module paths, short names, and our tensor / tap names.</summary>
public static partial class LoraTargets
{
    /// <summary>The authors' default targets: v_proj, o_proj, down_proj (PAPER-NOTES.md §6, "vod").</summary>
    public static IReadOnlyList<LoraTarget> Default { get; } = [LoraTarget.VProj, LoraTarget.OProj, LoraTarget.DownProj];

    private static readonly string[] HfNames = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];
    private static readonly string[] TapNames = ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"];

    /// <summary>HF short name, e.g. <c>v_proj</c>.</summary>
    public static string HfName(LoraTarget t) => HfNames[(int)t];

    /// <summary>Our tensor / tap suffix, e.g. <c>attn_v</c> (the name <c>ForwardContext.Linear</c> passes).</summary>
    public static string TapName(LoraTarget t) => TapNames[(int)t];

    /// <summary>The target whose tap name is <paramref name="tap"/>, or null.</summary>
    public static LoraTarget? FromTapName(string tap)
    {
        int i = Array.IndexOf(TapNames, tap);
        return i < 0 ? null : (LoraTarget)i;
    }

    /// <summary>Parses a short target name: <c>v_proj</c>, <c>attn_v</c> or <c>v</c> style; throws listing the known names.</summary>
    public static LoraTarget ParseName(string name)
    {
        string n = name.Trim().ToLowerInvariant();
        int i = Array.IndexOf(HfNames, n);
        if (i < 0) i = Array.IndexOf(TapNames, n);
        if (i < 0) i = Array.IndexOf(HfNames, n + "_proj");
        if (i < 0) throw new ArgumentException($"unknown LoRA target '{name}'; known: {string.Join(", ", HfNames)}");
        return (LoraTarget)i;
    }

    /// <summary>
    /// Parses a module path into (layer, target): HF <c>model.layers.3.self_attn.v_proj</c> (any prefix, e.g. PEFT's
    /// <c>base_model.model.</c>) or ours, <c>blk.3.attn_v</c>. Returns null when the path names no known BitLinear.
    /// </summary>
    public static (int Layer, LoraTarget Target)? ParseModulePath(string path)
    {
        Match m = HfPath().Match(path);
        if (m.Success) return (int.Parse(m.Groups[1].Value), (LoraTarget)Array.IndexOf(HfNames, m.Groups[2].Value));
        m = OurPath().Match(path);
        if (m.Success) return (int.Parse(m.Groups[1].Value), (LoraTarget)Array.IndexOf(TapNames, m.Groups[2].Value));
        return null;
    }

    /// <summary>HF module path of (layer, target), e.g. <c>model.layers.3.mlp.down_proj</c>.</summary>
    public static string HfModulePath(int layer, LoraTarget t) =>
        $"model.layers.{layer}.{(t is LoraTarget.GateProj or LoraTarget.UpProj or LoraTarget.DownProj ? "mlp" : "self_attn")}.{HfName(t)}";

    [GeneratedRegex(@"(?:^|\.)layers\.(\d{1,6})\.(?:self_attn|mlp)\.(q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj)$")]
    private static partial Regex HfPath();

    [GeneratedRegex(@"^blk\.(\d{1,6})\.(attn_q|attn_k|attn_v|attn_output|ffn_gate|ffn_up|ffn_down)$")]
    private static partial Regex OurPath();
}
