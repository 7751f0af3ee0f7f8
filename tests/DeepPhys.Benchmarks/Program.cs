using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(DeepPhys.Benchmarks.GeneratorBenchmarks).Assembly).Run(args);
