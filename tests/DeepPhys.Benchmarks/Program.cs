using BenchmarkDotNet.Running;

if (args is ["compile-latency"])
{
    DeepPhys.Benchmarks.RuntimeCompileBenchmarks.MeasureCompileLatency();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(DeepPhys.Benchmarks.GeneratorBenchmarks).Assembly).Run(args);
