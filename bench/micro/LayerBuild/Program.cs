using BenchmarkDotNet.Running;
using LayerBuild;

// dotnet run -c Release --project bench/micro/LayerBuild [-- BenchmarkDotNet options]
// LAYERBUILD_TREE=DIR measures a layer of DIR (bench/run.sh leaves its Debian rootfs tree in
// bench/work/tree); without it a generated tree of about 100 MB is used. The benchmarks run in a
// child process in another directory, so the path is made absolute here.
if (Environment.GetEnvironmentVariable("LAYERBUILD_TREE") is { Length: > 0 } tree)
{
    Environment.SetEnvironmentVariable("LAYERBUILD_TREE", Path.GetFullPath(tree));
}
BenchmarkRunner.Run<LayerBuildBenchmarks>(args: args);
