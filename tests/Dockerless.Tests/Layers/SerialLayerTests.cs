using System.Diagnostics;
using Xunit.Abstractions;
using static Dockerless.Tests.Layers.LayerTestSupport;

namespace Dockerless.Tests.Layers;

/// <summary>Tests that change process-wide state (SOURCE_DATE_EPOCH) or measure memory: run alone.</summary>
[CollectionDefinition(nameof(SerialLayerTests), DisableParallelization = true)]
public sealed class SerialLayerTestsDefinition;

[Collection(nameof(SerialLayerTests))]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class SerialLayerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Source_date_epoch_sets_entry_times_and_history()
    {
        var previous = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        Environment.SetEnvironmentVariable("SOURCE_DATE_EPOCH", "1234567890");
        try
        {
            await using var image = Image.Scratch();
            await image.AddLayerContentsAsync(new Dictionary<string, byte[]> { ["/etc/motd"] = "hi"u8.ToArray() });

            var expected = DateTimeOffset.FromUnixTimeSeconds(1234567890);
            Assert.All(await ReadLayerAsync(image.Layers[0]), e => Assert.Equal(expected, e.ModificationTime));
            Assert.Equal(expected, image.History[0].Created);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SOURCE_DATE_EPOCH", previous);
        }
        await using var layer = await Layer.FromContentsAsync(new Dictionary<string, byte[]> { ["/f"] = [1] });
        Assert.All(await ReadLayerAsync(layer), e => Assert.Equal(DateTimeOffset.UnixEpoch, e.ModificationTime));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("-5")]
    [InlineData("99999999999999")]
    public void A_malformed_source_date_epoch_is_an_error_naming_it(string value)
    {
        var previous = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        Environment.SetEnvironmentVariable("SOURCE_DATE_EPOCH", value);
        try
        {
            var error = Assert.Throws<FormatException>(() => Image.DefaultTimestamp);
            Assert.Contains($"SOURCE_DATE_EPOCH \"{value}\" is not a number of seconds since 1970", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SOURCE_DATE_EPOCH", previous);
        }
    }

    [Fact]
    public async Task A_200_megabyte_tree_is_built_and_read_back_with_flat_memory()
    {
        using var tree = new TempDirectory();
        var block = new byte[1 << 20];
        new Random(7).NextBytes(block);
        const int Files = 200;
        for (var i = 0; i < Files; i++)
        {
            var path = tree.Combine($"dir{i % 10}", $"file{i:D3}.bin");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            block[0] = (byte)i; // every file differs
            await File.WriteAllBytesAsync(path, block);
        }
        block = null!;
        GC.Collect();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false));
                await Task.Delay(20);
            }
        });

        using var spool = new TempDirectory();
        await using var layer = await Layer.FromPathAsync(tree.Path, "/data", new LayerOptions { TemporaryDirectory = spool.Path });
        long read = 0;
        await using (var tar = await layer.OpenUncompressedAsync())
        {
            var buffer = new byte[81920];
            for (int n; (n = await tar.ReadAsync(buffer)) > 0;) read += n;
        }
        await sampling.CancelAsync();
        await sampler;

        var growth = peak - baseline;
        output.WriteLine($"tar {layer.UncompressedSize / 1048576.0:F1} MiB, blob {layer.Size / 1048576.0:F1} MiB, on disk: {layer.IsSpooledToDisk}");
        output.WriteLine($"managed heap: baseline {baseline / 1048576.0:F1} MiB, peak {peak / 1048576.0:F1} MiB (+{growth / 1048576.0:F1} MiB)");
        output.WriteLine($"process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F1} MiB");
        Assert.True(layer.IsSpooledToDisk);
        Assert.Empty(Directory.EnumerateFileSystemEntries(spool.Path));
        Assert.Equal(layer.UncompressedSize, read);
        Assert.True(layer.UncompressedSize > Files * (1L << 20));
        Assert.True(growth < 64L << 20, $"the managed heap grew by {growth / 1048576} MiB while building and reading a 200 MiB layer");
    }
}
