using System.Globalization;

namespace BitRom.Reports;

/// <summary>Number formatting shared by the console, CSV and HTML outputs (invariant culture).</summary>
public static class ReportText
{
    /// <summary>A value with its unit, e.g. <c>4,808 kB/mm²</c> or <c>-41.2 %</c>.</summary>
    public static string Value(double v, string unit) => unit switch
    {
        "%" => v.ToString("F1", CultureInfo.InvariantCulture) + " %",
        "×" => v.ToString("F2", CultureInfo.InvariantCulture) + "×",
        _ => (Math.Abs(v) >= 100 ? v.ToString("N0", CultureInfo.InvariantCulture) : v.ToString("G3", CultureInfo.InvariantCulture)) + " " + unit,
    };

    /// <summary>Invariant round-trip number for CSV/JSON.</summary>
    public static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Quotes a CSV field when needed (RFC 4180).</summary>
    public static string Csv(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
