using System.Formats.Tar;
using System.Text;
using Dockerless.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Dockerless.Tests.Hostile;

/// <summary>
/// Hostile docker-archive tars given to <see cref="Image.LoadAsync(string, CancellationToken)"/>:
/// each is a good archive with hostile entries put before or after its own. Each must be refused
/// with the documented exception, or loaded with the hostile entry left inert; in every case
/// nothing is written outside the directory the test writes into, and loading stays small in memory.
/// </summary>
[Collection(MemoryMeasurements.Name)]
public sealed class HostileArchiveTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Where hostile entries go: before the good archive's entries (first wins) or after them (last wins).</summary>
    public enum At { Before, After }

    public static TheoryData<string, At, string?> Cases() => new()
    {
        { "dot-dot file", At.Before, nameof(UnsafeArchivePathException) },
        { "nested dot-dot file", At.After, nameof(UnsafeArchivePathException) },
        { "absolute file", At.Before, nameof(UnsafeArchivePathException) },
        { "symlink to absolute", At.Before, nameof(UnsafeArchivePathException) },
        { "symlink climbing out", At.After, nameof(UnsafeArchivePathException) },
        { "hard link climbing out", At.Before, nameof(UnsafeArchivePathException) },
        { "hard link to absolute", At.After, nameof(UnsafeArchivePathException) },
        { "manifest.json as symlink to host file", At.After, nameof(UnsafeArchivePathException) },
        // The regular manifest.json is found first; the looping links are never followed.
        { "symlink loop", At.After, null },
        { "character device", At.Before, null },
        { "block device", At.After, null },
        { "fifo", At.Before, null },
        { "duplicate manifest.json, garbage first", At.Before, null },
        { "duplicate manifest.json, garbage last", At.After, nameof(InvalidImageFormatException) },
        { "pax header claiming 1 GiB", At.Before, nameof(CorruptArchiveException) },
        { "pax header of 2 MiB", At.Before, nameof(CorruptArchiveException) },
        { "pax header of 512 KiB", At.Before, null },
        { "gnu long name claiming 1 GiB", At.Before, nameof(CorruptArchiveException) },
        { "size says more than the archive holds", At.After, nameof(CorruptArchiveException) },
        { "size says less than the data", At.Before, nameof(CorruptArchiveException) },
        { "size field of garbage", At.Before, nameof(CorruptArchiveException) },
        // TarReader checks no header checksum; the entry is inert and every blob is digest-checked anyway.
        { "bad header checksum", At.Before, null },
        { "sparse entry", At.Before, nameof(CorruptArchiveException) },
        { "pax header claiming 1 GiB, no magic, bad checksum", At.After, nameof(CorruptArchiveException) },
        { "pax size record claiming 1 GiB for a file", At.Before, nameof(CorruptArchiveException) },
    };

    private static byte[] Hostile(string name) => name switch
    {
        "dot-dot file" => RawTar.File("../evil", [1]),
        "nested dot-dot file" => RawTar.File("a/b/../../../evil", [1]),
        "absolute file" => RawTar.File("/tmp/evil", [1]),
        "symlink to absolute" => RawTar.File("evil", [], type: '2', linkName: "/etc/passwd"),
        "symlink climbing out" => RawTar.File("a/evil", [], type: '2', linkName: "../../etc/passwd"),
        "hard link climbing out" => RawTar.File("evil", [], type: '1', linkName: "../outside"),
        "hard link to absolute" => RawTar.File("evil", [], type: '1', linkName: "/etc/shadow"),
        "manifest.json as symlink to host file" => RawTar.File("manifest.json", [], type: '2', linkName: "/etc/passwd"),
        "symlink loop" => [.. RawTar.File("manifest.json", [], type: '2', linkName: "loop-a"), .. RawTar.File("loop-a", [], type: '2', linkName: "manifest.json")],
        "character device" => RawTar.Header("dev/null", '3', 0, devMajor: 1, devMinor: 3),
        "block device" => RawTar.Header("dev/sda", '4', 0, devMajor: 8, devMinor: 0),
        "fifo" => RawTar.Header("pipe", '6'),
        "duplicate manifest.json, garbage first" or "duplicate manifest.json, garbage last" => RawTar.File("manifest.json", "not json"u8.ToArray()),
        "pax header claiming 1 GiB" => [.. RawTar.Header("PaxHeaders/x", 'x', 1L << 30), .. RawTar.Padded("20 path=aaaaaaaaaaa\n"u8.ToArray())],
        "pax header of 2 MiB" => [.. RawTar.Pax(("comment", new string('a', 2 << 20))), .. RawTar.File("padded", [1])],
        "pax header of 512 KiB" => [.. RawTar.Pax(("comment", new string('a', 512 << 10))), .. RawTar.File("padded", [1])],
        "gnu long name claiming 1 GiB" => [.. RawTar.Header("././@LongLink", 'L', 1L << 30), .. new byte[RawTar.Block]],
        "size says more than the archive holds" => [.. RawTar.Header("big", '0', 10L << 20), .. new byte[RawTar.Block]],
        "size says less than the data" => [.. RawTar.Header("short", '0', 10), .. Filled(3 * RawTar.Block, 0x41)],
        "size field of garbage" => GarbageSize(),
        "bad header checksum" => BadChecksum(),
        "sparse entry" => RawTar.Header("sparse", 'S', 0),
        "pax header claiming 1 GiB, no magic, bad checksum" => [.. Sloppy(RawTar.Header("PaxHeaders/x", 'x', 1L << 30)), .. RawTar.Padded("20 path=aaaaaaaaaaa\n"u8.ToArray())],
        "pax size record claiming 1 GiB for a file" => [.. RawTar.Pax(("size", (1L << 30).ToString(System.Globalization.CultureInfo.InvariantCulture))), .. RawTar.Header("f", '0', 0), .. new byte[RawTar.Block]],
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();

    private static byte[] GarbageSize()
    {
        var header = RawTar.Header("garbage", '0', 0);
        Encoding.ASCII.GetBytes("9z9z9z9z9z9\0").CopyTo(header, 124);
        return Rechecksum(header);
    }

    private static byte[] BadChecksum()
    {
        var header = RawTar.Header("bad", '0', 0);
        header[0] ^= 0x20;
        return header;
    }

    private static byte[] Sloppy(byte[] header)
    {
        Array.Clear(header, 257, 8);
        header[148] = (byte)'7';
        return header;
    }

    private static byte[] Rechecksum(byte[] header)
    {
        Array.Fill(header, (byte)' ', 148, 8);
        Encoding.ASCII.GetBytes(Convert.ToString(header.Sum(b => (int)b), 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
        return header;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_archive_is_refused_or_contained(string name, At at, string? expected)
    {
        var good = await GoodEntriesAsync();
        var hostile = Hostile(name);
        var archive = _dir["hostile.tar"];
        await File.WriteAllBytesAsync(archive, RawTar.Archive(at == At.Before ? [hostile, .. good] : [.. good, hostile]));
        var target = Directory.CreateDirectory(_dir["target"]).FullName;
        var before = Snapshot();

        var probe = new MemoryProbe();
        Exception? error = null;
        try
        {
            var images = await Image.LoadAsync(archive);
            var image = Assert.Single(images);
            await image.WriteOciLayoutAsync(Path.Combine(target, "layout"));
            await image.ExportAsync(Stream.Null);
            Assert.True(File.Exists(Path.Combine(target, "layout", "index.json")));
        }
        catch (DockerlessException e)
        {
            error = e;
        }
        var allocated = probe.Allocated;
        output.WriteLine($"{name} ({at}): {(error is null ? "loaded, hostile entry inert" : $"{error.GetType().Name}: {error.Message}")}; allocated {allocated / 1024} KiB");

        Assert.Equal(expected, error?.GetType().Name);
        Assert.Equal(before, Snapshot().Where(p => !p.StartsWith("target/", StringComparison.Ordinal)).ToList());
        Assert.False(File.Exists("/tmp/evil"));
        // Generous: the good archive is a few KB; a hostile header must never cost its announced size.
        Assert.True(allocated < 64L << 20, $"loading allocated {allocated} bytes");
    }

    [Fact]
    public async Task A_symlink_loop_is_refused_rather_than_followed_for_ever()
    {
        var archive = _dir["loop.tar"];
        await File.WriteAllBytesAsync(archive, RawTar.Archive(Hostile("symlink loop")));

        var error = await Assert.ThrowsAsync<UnsafeArchivePathException>(() => Image.LoadAsync(archive));

        Assert.Contains("chain of more than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_symlinked_directory_in_the_archive_does_not_let_a_manifest_reach_host_files()
    {
        var good = await GoodEntriesAsync();
        var manifest = Encoding.UTF8.GetBytes("[{\"Config\":\"root/etc/passwd\",\"RepoTags\":[\"x:y\"],\"Layers\":[]}]");
        var archive = _dir["dirlink.tar"];
        await File.WriteAllBytesAsync(archive, RawTar.Archive([.. good, RawTar.File("root", [], type: '2', linkName: "."), RawTar.File("manifest.json", manifest)]));

        var error = await Assert.ThrowsAsync<MissingBlobException>(() => Image.LoadAsync(archive));

        Assert.Equal("root/etc/passwd", error.Entry);
    }

    /// <summary>A small good docker-archive, as raw tar entries (no end marker) to mix hostile ones into.</summary>
    private async Task<byte[][]> GoodEntriesAsync()
    {
        var layer = await TestLayer.BuildAsync(_dir["layer.tar.gz"], [new("hello", "hello"u8.ToArray())]);
        await TestLayer.ImageOf("app", "v1", layer).WriteFileAsync(_dir["good.tar"]);
        var parts = new List<byte[]>();
        await using var reader = new TarReader(File.OpenRead(_dir["good.tar"]));
        while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
        {
            var data = new MemoryStream();
            if (entry.DataStream is not null) await entry.DataStream.CopyToAsync(data);
            parts.Add(entry.EntryType == TarEntryType.Directory ? RawTar.Header(entry.Name, '5') : RawTar.File(entry.Name, data.ToArray()));
        }
        File.Delete(_dir["good.tar"]);
        File.Delete(_dir["layer.tar.gz"]);
        return [.. parts];
    }

    /// <summary>Every path under the test's directory (the parent of the target), sorted.</summary>
    private List<string> Snapshot()
        => [.. Directory.EnumerateFileSystemEntries(_dir.Path, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(_dir.Path, p).Replace('\\', '/'))
            .Select(p => Directory.Exists(Path.Combine(_dir.Path, p)) ? p + "/" : p)
            .Where(p => p != "hostile.tar" && p != "target/")
            .Order(StringComparer.Ordinal)];
}
