using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using Dockerless.IntegrationTests.Fixtures;
using Dockerless.Tests.Layers;
using Xunit.Abstractions;
using TempDirectory = Dockerless.IntegrationTests.Fixtures.TempDirectory;

namespace Dockerless.Tests.Hostile;

/// <summary>
/// Hostile layer tars given to export and flatten (the paths that interpret layer entries):
/// each is refused with the documented exception or written out contained (normalised paths,
/// hard links only to entries already written, device nodes as plain entries, nothing created on
/// the host), in bounded memory, with nothing left behind in the spool directory.
/// </summary>
[Collection(MemoryMeasurements.Name)]
public sealed class HostileLayerTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, string?> Cases() => new()
    {
        { "dot-dot file", nameof(UnsafeTarEntryException) },
        { "dot-dot inside the path", nameof(UnsafeTarEntryException) },
        { "absolute file", null },
        { "hard link climbing out", nameof(UnsafeTarEntryException) },
        { "hard link to absolute", nameof(InvalidLayerException) },
        { "hard link to itself", nameof(UnsafeTarEntryException) },
        { "hard link cycle", nameof(InvalidLayerException) },
        { "symlink to absolute, then a file through it", null },
        { "symlink climbing out, then a file through it", null },
        { "character device", null },
        { "block device", null },
        { "fifo", null },
        { "duplicate entries", null },
        { "file replaced by a directory of the same name", null },
        { "pax header claiming 1 GiB", nameof(InvalidLayerException) },
        { "pax header of 2 MiB", nameof(InvalidLayerException) },
        { "pax header of 512 KiB", null },
        { "pax path record climbing out", nameof(UnsafeTarEntryException) },
        { "pax size record claiming 1 GiB", nameof(InvalidLayerException) },
        { "gnu long name claiming 1 GiB", nameof(InvalidLayerException) },
        { "gnu long name climbing out", nameof(UnsafeTarEntryException) },
        { "size says more than the data", nameof(InvalidLayerException) },
        { "size says less than the data", nameof(InvalidLayerException) },
        { "size field of garbage", nameof(InvalidLayerException) },
        { "unsupported entry type", nameof(InvalidLayerException) },
        { "no end marker", null },
        { "only zeros", null },
    };

    internal static byte[] Layer(string name) => name switch
    {
        "dot-dot file" => RawTar.Archive(RawTar.File("../evil", [1])),
        "dot-dot inside the path" => RawTar.Archive(RawTar.File("a/b/../../../evil", [1])),
        "absolute file" => RawTar.Archive(RawTar.File("/etc/evil", [1])),
        "hard link climbing out" => RawTar.Archive(RawTar.File("ok", [1]), RawTar.File("evil", [], '1', "../../ok")),
        // A leading slash is normalised away: the link points at "etc/shadow", which no layer has.
        "hard link to absolute" => RawTar.Archive(RawTar.File("evil", [], '1', "/etc/shadow")),
        "hard link to itself" => RawTar.Archive(RawTar.File("self", [], '1', "self")),
        "hard link cycle" => RawTar.Archive(RawTar.File("a", [], '1', "b"), RawTar.File("b", [], '1', "a")),
        "symlink to absolute, then a file through it" => RawTar.Archive(RawTar.File("etc", [], '2', "/etc"), RawTar.File("etc/evil", [1])),
        "symlink climbing out, then a file through it" => RawTar.Archive(RawTar.File("up", [], '2', "../../../../tmp"), RawTar.File("up/evil", [1])),
        "character device" => RawTar.Archive(RawTar.Header("dev/null", '3', devMajor: 1, devMinor: 3)),
        "block device" => RawTar.Archive(RawTar.Header("dev/sda", '4', devMajor: 8)),
        "fifo" => RawTar.Archive(RawTar.Header("run/pipe", '6')),
        "duplicate entries" => RawTar.Archive(RawTar.File("f", [1]), RawTar.File("./f", [2]), RawTar.File("/f", [3])),
        "file replaced by a directory of the same name" => RawTar.Archive(RawTar.File("d", [1]), RawTar.Header("d", '5'), RawTar.File("d/f", [2])),
        "pax header claiming 1 GiB" => RawTar.Archive(RawTar.Header("PaxHeaders/x", 'x', 1L << 30), RawTar.Padded("20 path=aaaaaaaaaaa\n"u8.ToArray())),
        "pax header of 2 MiB" => RawTar.Archive(RawTar.Pax(("comment", new string('a', 2 << 20))), RawTar.File("f", [1])),
        "pax header of 512 KiB" => RawTar.Archive(RawTar.Pax(("comment", new string('a', 512 << 10))), RawTar.File("f", [1])),
        "pax path record climbing out" => RawTar.Archive(RawTar.Pax(("path", "../../evil")), RawTar.File("innocent", [1])),
        "pax size record claiming 1 GiB" => RawTar.Archive(RawTar.Pax(("size", (1L << 30).ToString(CultureInfo.InvariantCulture))), RawTar.Header("f", '0', 0)),
        "gnu long name claiming 1 GiB" => RawTar.Archive(RawTar.Header("././@LongLink", 'L', 1L << 30), new byte[RawTar.Block]),
        "gnu long name climbing out" => RawTar.Archive(RawTar.File("././@LongLink", "../../../evil\0"u8.ToArray(), 'L'), RawTar.File("innocent", [1])),
        "size says more than the data" => RawTar.Archive(RawTar.Header("big", '0', 10L << 20), new byte[RawTar.Block]),
        "size says less than the data" => RawTar.Archive(RawTar.Header("short", '0', 10), Enumerable.Repeat((byte)'A', 3 * RawTar.Block).ToArray()),
        "size field of garbage" => RawTar.Archive(GarbageSize()),
        "unsupported entry type" => RawTar.Archive(RawTar.Header("sparse", 'S', 0)),
        "no end marker" => RawTar.File("f", [1]),
        "only zeros" => new byte[8 * RawTar.Block],
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static byte[] GarbageSize()
    {
        var header = RawTar.Header("garbage", '0', 0);
        "9z9z9z9z9z9\0"u8.ToArray().CopyTo(header, 124);
        return header;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_layer_is_refused_or_contained_by_export_and_flatten(string name, string? expected)
    {
        await using var image = Image.Scratch("hostile");
        image.AddLayer(RawTarLayer.Of(RawTarLayer.File("base/file", "base")));
        image.AddLayer(new RawTarLayer(Layer(name)));
        var spool = Directory.CreateDirectory(_dir["spool"]).FullName;

        var probe = new MemoryProbe();
        var exported = new MemoryStream();
        var exportError = await Record(() => image.ExportAsync(exported));
        var flattenError = await Record(async () =>
        {
            await using var flat = await image.FlattenAsync(new LayerOptions { CompressionLevel = CompressionLevel.Fastest, TemporaryDirectory = spool });
            await using var tar = await flat.Layers[0].OpenUncompressedAsync();
            await tar.CopyToAsync(Stream.Null);
        });
        output.WriteLine($"{name}: {(exportError is null ? "exported, contained" : $"{exportError.GetType().Name}: {exportError.Message}")}; {probe}");

        Assert.Equal(expected, exportError?.GetType().Name);
        Assert.Equal(expected, flattenError?.GetType().Name);
        if (exportError is null)
        {
            exported.Position = 0;
            AssertContained(await LayerTestSupport.ReadTarAsync(exported));
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(spool));
        Assert.Equal(["spool"], Directory.EnumerateFileSystemEntries(_dir.Path).Select(Path.GetFileName));
        Assert.False(File.Exists("/tmp/evil"));
        Assert.True(probe.Allocated < 64L << 20, $"export and flatten allocated {probe.Allocated} bytes");
    }

    /// <summary>Every path relative and inside the root; every hard link to an entry written before it.</summary>
    private static void AssertContained(List<ReadEntry> entries)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            Assert.False(entry.Name.StartsWith('/'), entry.Name);
            Assert.DoesNotContain("..", entry.Name.Split('/'));
            if (entry.Type == TarEntryType.HardLink) Assert.Contains(entry.LinkName, written);
            written.Add(entry.Name.TrimEnd('/'));
        }
    }

    internal static async Task<DockerlessException?> Record(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (DockerlessException e)
        {
            return e;
        }
    }
}
