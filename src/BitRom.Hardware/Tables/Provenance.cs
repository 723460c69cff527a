namespace BitRom.Hardware.Tables;

/// <summary>How a constant was obtained (STYLE.md §2.4.2); reports flag <see cref="Placeholder"/> rows.</summary>
public enum ProvenanceKind
{
    /// <summary>Measured on silicon.</summary>
    Measured,
    /// <summary>Reported by a paper, datasheet or standard.</summary>
    PaperReported,
    /// <summary>Computed from other rows by a stated formula.</summary>
    Derived,
    /// <summary>A stand-in value chosen by us; every report lists it.</summary>
    Placeholder,
}

/// <summary>Where a constant comes from: a citation, a locator inside it (table, section, formula) and its kind.</summary>
public sealed record Provenance(string Citation, string Locator, ProvenanceKind Kind)
{
    /// <summary>The kind as written in the YAML files and CSV outputs.</summary>
    public string KindName => KindToText(Kind);

    /// <summary><c>paper-reported</c> style spelling of a kind.</summary>
    public static string KindToText(ProvenanceKind kind) => kind switch
    {
        ProvenanceKind.Measured => "measured",
        ProvenanceKind.PaperReported => "paper-reported",
        ProvenanceKind.Derived => "derived",
        _ => "placeholder",
    };

    /// <summary>Parses the YAML spelling; throws naming the bad value.</summary>
    public static ProvenanceKind ParseKind(string text) => text switch
    {
        "measured" => ProvenanceKind.Measured,
        "paper-reported" => ProvenanceKind.PaperReported,
        "derived" => ProvenanceKind.Derived,
        "placeholder" => ProvenanceKind.Placeholder,
        _ => throw new InvalidDataException($"unknown provenance kind '{text}' (measured | paper-reported | derived | placeholder)"),
    };

    /// <summary>A derived value: the formula with its numbers is the locator.</summary>
    public static Provenance Derive(string formula, string citation = "BitROM cost model") => new(citation, formula, ProvenanceKind.Derived);
}

/// <summary>One constant of a technology table: <c>component.item = value unit</c> with its source.</summary>
public sealed record TechRow(string Component, string Item, double Value, string Unit, Provenance Source)
{
    /// <summary><c>component.item</c>.</summary>
    public string Key => Component + "." + Item;
}
