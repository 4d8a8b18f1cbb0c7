using System.Formats.Tar;
using Dockerless.IntegrationTests.Fixtures;
using static Dockerless.Tests.Layers.DeepTreeLayers;
using TempDirectory = Dockerless.IntegrationTests.Fixtures.TempDirectory;

namespace Dockerless.Tests.Unpacking;

/// <summary>
/// Whiteouts, opaque directories, files replacing directories and deferred directory modes deep
/// in a tree and across a wide directory: the unpack keeps the paths a layer wrote and the
/// directories whose mode it sets last as trees of components, and what it does at depth must
/// be what it does near the root. The depth stays under Linux's 4,096-byte path limit.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DeepTreeUnpackTests : IDisposable
{
    private const int Depth = 1000;
    private const int Width = 100_000;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Whiteouts_an_opaque_directory_and_modes_deep_in_a_tree_act_as_near_the_root()
    {
        var lower = DeepLower(Depth);
        var upper = new List<TarEntry>
        {
            RawTarLayer.File($"{Deep(Depth / 2)}/o/new", "x"),
            RawTarLayer.File($"{Deep(Depth / 2)}/o/.wh..wh..opq", ""),
            RawTarLayer.File($"{Deep(Depth)}/.wh.gone", ""),
            RawTarLayer.File($"{Deep(Depth / 4)}/replaced", "now a file"),
            Directory(Deep(Depth), (UnixFileMode)0x1E8),
        };
        await using var image = TestLayer.ImageOf("deep", "v1", RawTarLayer.Of(lower), RawTarLayer.Of(upper));

        await image.UnpackAsync(_dir["root"]);

        var root = _dir["root"];
        Assert.True(File.Exists($"{root}/{Deep(Depth)}/kept"));
        Assert.False(File.Exists($"{root}/{Deep(Depth)}/gone"));
        Assert.Equal(["new"], System.IO.Directory.GetFileSystemEntries($"{root}/{Deep(Depth / 2)}/o").Select(Path.GetFileName));
        Assert.Equal("now a file", await File.ReadAllTextAsync($"{root}/{Deep(Depth / 4)}/replaced"));
        Assert.Equal((UnixFileMode)0x1E8, File.GetUnixFileMode($"{root}/{Deep(Depth)}"));
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode($"{root}/{Deep(Depth - 1)}"));
        Assert.Equal(Time.UtcDateTime, System.IO.Directory.GetLastWriteTimeUtc($"{root}/{Deep(Depth)}"));
        Assert.Equal(Time.UtcDateTime, System.IO.Directory.GetLastWriteTimeUtc($"{root}/{Deep(Depth / 2)}"));
    }

    [Fact]
    public async Task Whiteouts_of_every_other_entry_of_a_wide_directory_leave_exactly_the_others()
    {
        // A whiteout never deletes what its own layer wrote: w/new stays.
        var upper = WideWhiteouts(Width).Prepend(RawTarLayer.File("w/.wh.new", "")).Prepend(RawTarLayer.File("w/new", "x"));
        await using var image = TestLayer.ImageOf("wide", "v1", RawTarLayer.Of(WideLower(Width)), RawTarLayer.Of(upper));

        await image.UnpackAsync(_dir["root"]);

        var expected = WideSurvivors(Width).Append("new").Order(StringComparer.Ordinal);
        Assert.Equal(expected, System.IO.Directory.GetFileSystemEntries(_dir["root/w"]).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal));
        Assert.Equal(Time.UtcDateTime, System.IO.Directory.GetLastWriteTimeUtc(_dir["root/w"]));
    }
}
