using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/BitRom.Benchmarks -- --filter '*Ternary*'
BenchmarkSwitcher.FromAssembly(typeof(BitRom.Benchmarks.HwIntrinsicsConfig).Assembly).Run(args);
