using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Dockerless;

// Usage: LayerBuild DIR [single|parallel|none] [optimal|fastest|smallest] [RUNS]
// ("none": an uncompressed layer, which measures the serial part: reading the tree, tar, hashing).
// Builds a layer of DIR (as `dockerless build` does) RUNS times and prints, per run, the wall
// time, CPU time, throughput over the uncompressed tar, the compressed size and the digest.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: LayerBuild DIR [single|parallel|none] [optimal|fastest|smallest] [RUNS]");
    return 2;
}
var directory = args[0];
var mode = args.Length > 1 ? args[1] : "single";
var parallel = mode == "parallel";
var level = (args.Length > 2 ? args[2] : "optimal") switch
{
    "fastest" => CompressionLevel.Fastest,
    "smallest" => CompressionLevel.SmallestSize,
    _ => CompressionLevel.Optimal,
};
var runs = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
var options = new LayerOptions { ParallelGzip = parallel, CompressionLevel = level, Compression = mode == "none" ? LayerCompression.None : LayerCompression.Gzip };
for (var run = 1; run <= runs; run++)
{
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    await using var layer = await Layer.FromPathAsync(directory, "/", options);
    clock.Stop();
    var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
    var mbps = layer.UncompressedSize / 1e6 / clock.Elapsed.TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"run {run}: {mode} {level}: {clock.Elapsed.TotalSeconds:0.000} s wall, {used.TotalSeconds:0.000} s cpu, {mbps:0.0} MB/s of tar ({layer.UncompressedSize} B), blob {layer.Size} B {layer.Digest}"));
}
return 0;
