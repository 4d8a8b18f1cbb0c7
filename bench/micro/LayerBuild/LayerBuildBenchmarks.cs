using System.Diagnostics;
using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using Dockerless;
using Dockerless.Content;
using Dockerless.Layers;

namespace LayerBuild;

/// <summary>
/// A layer of one directory tree, as <c>dockerless build</c> makes it (parallel gzip, the
/// default), with single-stream gzip and uncompressed for comparison, against the baseline
/// <c>tar -c DIR | pigz -6</c> on the same tree in the same run.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RuntimeMoniker.Net10_0, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class LayerBuildBenchmarks
{
    private string _tree = "";
    private string? _generated;

    [GlobalSetup]
    public void Setup()
    {
        if (Environment.GetEnvironmentVariable("LAYERBUILD_TREE") is { Length: > 0 } tree)
        {
            _tree = tree;
            return;
        }
        _generated = Path.Combine(Path.GetTempPath(), $"layerbuild-{Environment.ProcessId}");
        _tree = GeneratedTree.Write(_generated);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_generated is not null) Directory.Delete(_generated, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "tar -c DIR | pigz -6")]
    public void TarPigz()
    {
        using var shell = Process.Start(new ProcessStartInfo("bash", ["-c", "set -o pipefail; tar -C \"$0\" -c . | pigz -6 > /dev/null", _tree]))
            ?? throw new InvalidOperationException("bash did not start");
        shell.WaitForExit();
        if (shell.ExitCode != 0) throw new InvalidOperationException($"tar | pigz exited {shell.ExitCode} (are tar and pigz installed?)");
    }

    [Benchmark(Description = "parallel gzip (the default)")]
    public Task<Digest> ParallelGzip() => BuildAsync(new LayerOptions());

    [Benchmark(Description = "single-stream gzip")]
    public Task<Digest> SingleGzip() => BuildAsync(new LayerOptions { ParallelGzip = false });

    [Benchmark(Description = "uncompressed (walk, tar, sha256)")]
    public Task<Digest> Uncompressed() => BuildAsync(new LayerOptions { Compression = LayerCompression.None });

    private async Task<Digest> BuildAsync(LayerOptions options)
    {
        await using var layer = await Layer.FromPathAsync(_tree, "/", options);
        return layer.Digest;
    }
}
