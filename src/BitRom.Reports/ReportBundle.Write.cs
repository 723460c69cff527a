using System.Diagnostics;

namespace BitRom.Reports;

/// <summary>The whole bundle: data files, plots, HTML.</summary>
public static partial class ReportBundle
{
    /// <summary>Timings of one bundle, for the CLI to print.</summary>
    public sealed record Written(IReadOnlyList<string> Files, TimeSpan DataTime, TimeSpan PlotTime);

    /// <summary>Writes data files, PNG/SVG plots and report.html into <paramref name="dir"/>.</summary>
    public static Written WriteAll(ReportInput input, string dir, bool plots = true)
    {
        var sw = Stopwatch.StartNew();
        var files = WriteData(input, dir).ToList();
        TimeSpan data = sw.Elapsed;
        sw.Restart();
        var names = plots ? ReportPlots.Write(input, dir) : [];
        foreach (string n in names) files.AddRange([Path.Combine(dir, n + ".png"), Path.Combine(dir, n + ".svg")]);
        files.Add(HtmlReport.Write(input, dir, names));
        return new Written(files, data, sw.Elapsed);
    }
}
