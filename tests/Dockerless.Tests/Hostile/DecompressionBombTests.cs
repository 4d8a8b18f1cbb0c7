using System.IO.Compression;
using Dockerless.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Dockerless.Tests.Hostile;

/// <summary>
/// Layers that inflate a thousandfold. Dockerless has no decompression ratio limit (a layer may
/// legitimately be GBs of zeros); what it promises is streaming: memory stays flat whatever the
/// inflated size, and nothing lands on disk but the (re)compressed output.
/// </summary>
[Collection(MemoryMeasurements.Name)]
public sealed class DecompressionBombTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(LayerCompression.Gzip, 32)]
    [InlineData(LayerCompression.Zstd, 32)]
    public async Task Export_streams_a_bomb_in_bounded_memory(LayerCompression compression, int copies)
    {
        await using var image = Image.Scratch();
        var bomb = new BombLayer(copies, compression);
        image.AddLayer(bomb);
        var sink = new CountingSink();

        var probe = new MemoryProbe();
        await image.ExportAsync(sink);

        output.WriteLine($"{compression} bomb: {bomb.Size} byte blob -> {bomb.UncompressedSize >> 20} MiB tar, ratio {bomb.UncompressedSize / bomb.Size}:1; export wrote {sink.Count >> 20} MiB; {probe}");
        Assert.True(sink.Count >= (long)copies * BombLayer.Chunk);
        Assert.True(probe.Allocated < 128L << 20, $"export allocated {probe.Allocated} bytes for a {bomb.UncompressedSize} byte tar");
    }

    [Fact]
    public async Task Flatten_recompresses_a_bomb_in_bounded_memory_and_leaves_only_its_spool()
    {
        await using var image = Image.Scratch();
        var bomb = new BombLayer(16, LayerCompression.Gzip);
        image.AddLayer(bomb);
        var spool = Directory.CreateDirectory(_dir["spool"]).FullName;

        var probe = new MemoryProbe();
        await using (var flat = await image.FlattenAsync(new LayerOptions { CompressionLevel = CompressionLevel.Fastest, TemporaryDirectory = spool }))
        {
            output.WriteLine($"flatten of a {bomb.Size} byte blob ({bomb.UncompressedSize >> 20} MiB inflated): one layer of {flat.Layers[0].Size} bytes; {probe}");
            Assert.True(probe.Allocated < 128L << 20, $"flatten allocated {probe.Allocated} bytes");
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(spool));
        Assert.Equal(["spool"], Directory.EnumerateFileSystemEntries(_dir.Path).Select(Path.GetFileName));
    }
}
