using Dockerless.IntegrationTests.Fixtures;
using TempDirectory = Dockerless.IntegrationTests.Fixtures.TempDirectory;

namespace Dockerless.Tests.Hostile;

/// <summary>An unpack streams each file from the layer to the disk: its memory does not grow with the size of the data.</summary>
[Collection(MemoryMeasurements.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UnpackMemoryTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_large_file_is_streamed_not_held()
    {
        const int Size = 96 << 20;
        var tar = RawTar.Archive(RawTar.File("big", new byte[Size]), RawTar.File("small", [1]));
        await using var image = Image.Scratch("memory");
        image.AddLayer(new RawTarLayer(tar));

        var probe = new MemoryProbe();
        await image.UnpackAsync(_dir["root"]);

        Assert.True(probe.Allocated < 8L << 20, $"the unpack allocated {probe.Allocated} bytes for a {Size}-byte file");
        Assert.Equal(Size, new FileInfo(_dir["root/big"]).Length);
    }
}
