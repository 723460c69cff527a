namespace BitRom.Hardware;

/// <summary>Names this assembly in reflection-based checks (the architecture tests).</summary>
public static class AssemblyMarker;
