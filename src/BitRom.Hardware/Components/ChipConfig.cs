using System.Reflection;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace BitRom.Hardware.Components;

/// <summary>What a TriMLA accumulator does when a sum leaves its signed range (DESIGN.md §5.5).</summary>
public enum OverflowPolicy
{
    /// <summary>Throw <see cref="TriMlaOverflowException"/> naming matrix, macro, column and row group.</summary>
    Error,
    /// <summary>Clamp to the nearest representable value.</summary>
    Saturate,
    /// <summary>Keep the low bits (two's complement), as an unguarded adder does.</summary>
    Wrap,
}

/// <summary>How the second plane of a macro is used for one matrix (DESIGN.md §5.3).</summary>
public enum PlaneAssignment
{
    /// <summary>Per matrix, whichever of the two extensions needs fewer macros (ties: inputs).</summary>
    Auto,
    /// <summary>Plane B holds the next <c>ArrayRows</c> inputs of the same outputs.</summary>
    Inputs,
    /// <summary>Plane B holds the same inputs for the next <c>ArrayCols</c> outputs.</summary>
    Outputs,
}

/// <summary>
/// The configurable BitROM chip of DESIGN.md §5.1–§5.5. Paper facts are defaults; every [model choice] is a field
/// with its stated default, and reports print the whole record so a result always says which choices produced it.
/// </summary>
/// <remarks>Contract: immutable; load with <see cref="FromYaml"/> or <see cref="Default"/>, then <see cref="Validate"/>.</remarks>
public sealed record ChipConfig
{
    /// <summary>Preset name printed in reports.</summary>
    public string Name { get; init; } = "bitrom65-default";

    /// <summary>Word lines per BiROMA, i.e. inputs per plane (paper: 2,048 rows; PAPER-NOTES §3).</summary>
    public int ArrayRows { get; init; } = 2048;

    /// <summary>Columns per BiROMA, i.e. outputs per plane (paper: 1,024 columns; PAPER-NOTES §3).</summary>
    public int ArrayCols { get; init; } = 1024;

    /// <summary>Word lines a local accumulator sums before its global add [model choice, DESIGN §5.5: 16].</summary>
    public int GroupRows { get; init; } = 16;

    /// <summary>Signed width of each local accumulator [model choice, DESIGN §5.5: 12 = log2(16·128) + 1].</summary>
    public int LocalBits { get; init; } = 12;

    /// <summary>Signed width of each column's global accumulator [model choice, DESIGN §5.5: 24].</summary>
    public int GlobalBits { get; init; } = 24;

    /// <summary>
    /// Overflow policy [model choice]. Default <see cref="OverflowPolicy.Error"/>: DESIGN §4 requires options that
    /// change numbers to be off by default, and at the default widths the quantizer's q ∈ [−127, 127] cannot overflow
    /// (16·127 ≤ 2,047), so an overflow means a mis-sized configuration that must not silently alter logits.
    /// </summary>
    public OverflowPolicy Overflow { get; init; } = OverflowPolicy.Error;

    /// <summary>Second-plane use per matrix [model choice, DESIGN §5.3: least padding].</summary>
    public PlaneAssignment Planes { get; init; } = PlaneAssignment.Auto;

    /// <summary>
    /// The controller fires only the word lines that hold inputs of a plane's block, so a block of a matrix edge takes
    /// fewer cycles and senses [model choice, on]. Off: every plane reads all <c>ArrayRows</c> word lines (DESIGN §5.4,
    /// "a plane takes 2,048 cycles"). Columns are never skipped: a word line drives its whole row.
    /// </summary>
    public bool SkipPaddedRows { get; init; } = true;

    /// <summary>Put lone blocks of different matrices into one macro's two planes [model choice, off].</summary>
    public bool Pack { get; init; }

    /// <summary>Macro clock [model choice, DESIGN §5.4: 100 MHz at 65 nm].</summary>
    [YamlMember(Alias = "clock_mhz")]
    public double ClockMHz { get; init; } = 100;

    /// <summary>Tokens one word-line read serves (parallel accumulator lanes) [model choice, DESIGN §5.4: 1].</summary>
    public int TokensPerRead { get; init; } = 1;

    /// <summary>Gaussian sensing noise σ on the bit line, in units of VDD [model choice, 0 = ideal sensing].</summary>
    public double SensingSigmaVdd { get; init; }

    /// <summary>Upper sense threshold: above it the trit is 0 [I, PAPER-NOTES §3: 3/8 VDD].</summary>
    public double SenseHighVdd { get; init; } = 0.375;

    /// <summary>Lower sense threshold: above it (and below the upper) +1, below it −1 [I, PAPER-NOTES §3: 1/8 VDD].</summary>
    public double SenseLowVdd { get; init; } = 0.125;

    /// <summary>Seed of the sensing-noise generator.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>The default chip, from the embedded preset <c>Presets/bitrom65-default.yaml</c>.</summary>
    public static ChipConfig Default { get; } = LoadPreset("bitrom65-default");

    /// <summary>Loads a named preset embedded in this assembly (<c>Presets/NAME.yaml</c>).</summary>
    public static ChipConfig LoadPreset(string name)
    {
        Assembly asm = typeof(ChipConfig).Assembly;
        using Stream s = asm.GetManifestResourceStream($"BitRom.Hardware.Presets.{name}.yaml")
            ?? throw new ArgumentException($"unknown chip preset '{name}'");
        using var reader = new StreamReader(s);
        return FromYaml(reader.ReadToEnd(), $"preset {name}");
    }

    /// <summary>Loads and validates a chip file (YAML, snake_case keys; missing keys keep their defaults).</summary>
    public static ChipConfig Load(string path) => FromYaml(File.ReadAllText(path), path);

    /// <summary>Parses YAML text; <paramref name="source"/> names the file in errors.</summary>
    public static ChipConfig FromYaml(string yaml, string source)
    {
        IDeserializer d = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance)
            .WithEnumNamingConvention(LowerCaseNamingConvention.Instance).Build();
        ChipConfig config;
        try
        {
            config = d.Deserialize<ChipConfig?>(yaml) ?? new ChipConfig();
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new InvalidDataException($"{source}: {e.Message} (line {e.Start.Line}, column {e.Start.Column})", e);
        }
        try
        {
            return config.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{source}: {e.Message}", e);
        }
    }

    /// <summary>Serialises to YAML with snake_case keys (reports embed it).</summary>
    public string ToYaml() =>
        new SerializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance)
            .WithEnumNamingConvention(LowerCaseNamingConvention.Instance).Build().Serialize(this);

    /// <summary>Checks every field; throws <see cref="ArgumentException"/> naming the first bad one. Returns this.</summary>
    public ChipConfig Validate()
    {
        static void Check(bool ok, string field, object value, string rule)
        {
            if (!ok) throw new ArgumentException($"chip config field '{field}' = {value}: {rule}");
        }
        Check(!string.IsNullOrWhiteSpace(Name), "name", Name, "must not be empty");
        Check(ArrayRows is > 0 and <= 1 << 16, "array_rows", ArrayRows, "must lie in [1, 65536]");
        Check(ArrayCols is > 0 and <= 1 << 16, "array_cols", ArrayCols, "must lie in [1, 65536]");
        Check(GroupRows > 0 && GroupRows <= ArrayRows, "group_rows", GroupRows, $"must lie in [1, array_rows = {ArrayRows}]");
        Check(LocalBits is >= 2 and <= 32, "local_bits", LocalBits, "must lie in [2, 32]");
        Check(GlobalBits is >= 2 and <= 32, "global_bits", GlobalBits, "must lie in [2, 32]");
        Check(Enum.IsDefined(Overflow), "overflow", Overflow, "must be error, saturate or wrap");
        Check(Enum.IsDefined(Planes), "planes", Planes, "must be auto, inputs or outputs");
        Check(double.IsFinite(ClockMHz) && ClockMHz > 0, "clock_mhz", ClockMHz, "must be a positive frequency");
        Check(TokensPerRead is > 0 and <= 4096, "tokens_per_read", TokensPerRead, "must lie in [1, 4096]");
        Check(double.IsFinite(SensingSigmaVdd) && SensingSigmaVdd >= 0, "sensing_sigma_vdd", SensingSigmaVdd, "must be finite and >= 0");
        Check(SenseLowVdd > BiRoma.LevelVdd(Line.M3) && SenseLowVdd < BiRoma.LevelVdd(Line.M2), "sense_low_vdd", SenseLowVdd,
            "must lie between the -1 level (0) and the +1 level (1/4 VDD)");
        Check(SenseHighVdd > BiRoma.LevelVdd(Line.M2) && SenseHighVdd < BiRoma.LevelVdd(Line.M1), "sense_high_vdd", SenseHighVdd,
            "must lie between the +1 level (1/4 VDD) and the 0 level (1/2 VDD)");
        return this;
    }
}
