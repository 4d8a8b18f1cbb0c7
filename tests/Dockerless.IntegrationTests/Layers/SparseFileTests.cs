using System.Formats.Tar;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Layers;

/// <summary>
/// Sparse files as GNU tar writes them in PAX form (<c>tar --sparse --format=pax</c>, formats 0.0,
/// 0.1 and 1.0): read by their real name and size by export, flatten and unpack, so a whiteout
/// deletes them, and written expanded, with the bytes GNU tar and umoci unpack give.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SparseFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>etc/secret: 3 MiB with data at 1 MiB and near the end, holes elsewhere; etc/plain beside it.</summary>
    private static async Task<byte[]> MakeTreeAsync(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        var bytes = new byte[3 << 20];
        "secret at one MiB"u8.CopyTo(bytes.AsSpan(1 << 20));
        "and the end"u8.CopyTo(bytes.AsSpan(bytes.Length - 600));
        var path = Path.Combine(root, "etc", "secret");
        await using (var file = File.Create(path))
        {
            file.SetLength(bytes.Length);
            file.Position = 1 << 20;
            await file.WriteAsync(bytes.AsMemory(1 << 20, 4096));
            file.Position = bytes.Length - 4096;
            await file.WriteAsync(bytes.AsMemory(bytes.Length - 4096));
        }
        await File.WriteAllTextAsync(Path.Combine(root, "etc", "plain"), "plain");
        return bytes;
    }

    /// <summary>A layer GNU tar writes of <paramref name="root"/> with sparse files in format <paramref name="version"/>.</summary>
    private async Task<RawTarLayer> GnuTarLayerAsync(string root, string version)
    {
        var tar = _dir[$"sparse-{version}.tar"];
        await Peer.RunAsync("tar", ["--sparse", $"--sparse-version={version}", "--format=pax", "--numeric-owner", "-cf", tar, "-C", root, "etc"]);
        var bytes = await File.ReadAllBytesAsync(tar);
        Assert.True(bytes.AsSpan().IndexOf("GNU.sparse."u8) >= 0, "GNU tar wrote no sparse records");
        return new RawTarLayer(bytes);
    }

    private static async Task<Dictionary<string, byte[]>> FilesOfAsync(string tar)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using var reader = new TarReader(File.OpenRead(tar));
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            Assert.False(entry is PaxTarEntry pax && pax.ExtendedAttributes.Keys.Any(k => k.StartsWith("GNU.sparse.", StringComparison.Ordinal)), entry.Name);
            if (entry.EntryType != TarEntryType.RegularFile) continue;
            var data = new MemoryStream();
            await entry.DataStream!.CopyToAsync(data);
            files[entry.Name.TrimStart('.', '/')] = data.ToArray();
        }
        return files;
    }

    [Theory]
    [InlineData("0.0")]
    [InlineData("0.1")]
    [InlineData("1.0")]
    public async Task A_whiteout_deletes_a_sparse_file_in_export_flatten_and_unpack_as_in_umoci(string version)
    {
        var root = _dir["root"];
        await MakeTreeAsync(root);
        await using var image = TestLayer.ImageOf("sparse", "v1", await GnuTarLayerAsync(root, version),
            RawTarLayer.Of(RawTarLayer.File("etc/.wh.secret", "")));

        await image.ExportAsync(_dir["export.tar"]);
        Assert.Equal(["etc/plain"], (await FilesOfAsync(_dir["export.tar"])).Keys);
        await using var flat = await image.FlattenAsync();
        await flat.ExportAsync(_dir["flat.tar"]);
        Assert.Equal(["etc/plain"], (await FilesOfAsync(_dir["flat.tar"])).Keys);
        await image.UnpackAsync(_dir["unpacked"]);
        Assert.Equal(["plain"], Directory.EnumerateFileSystemEntries(_dir["unpacked/etc"]).Select(Path.GetFileName));

        await image.WriteOciLayoutAsync(_dir["layout"]);
        await Peer.RunAsync("umoci", ["unpack", "--rootless", "--image", $"{_dir["layout"]}:v1", _dir["bundle"]]);
        Assert.Equal(["plain"], Directory.EnumerateFileSystemEntries(_dir["bundle/rootfs/etc"]).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("0.0")]
    [InlineData("0.1")]
    [InlineData("1.0")]
    public async Task A_sparse_file_is_written_expanded_with_the_bytes_gnu_tar_and_umoci_give(string version)
    {
        var root = _dir["root"];
        var expected = await MakeTreeAsync(root);
        await using var image = TestLayer.ImageOf("sparse", "v1", await GnuTarLayerAsync(root, version));

        await image.ExportAsync(_dir["export.tar"]);
        var exported = await FilesOfAsync(_dir["export.tar"]);
        Assert.Equal(["etc/plain", "etc/secret"], exported.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(expected, exported["etc/secret"]);

        Directory.CreateDirectory(_dir["by-gnu-tar"]);
        await Peer.RunAsync("tar", ["-xf", _dir[$"sparse-{version}.tar"], "-C", _dir["by-gnu-tar"]]);
        Assert.Equal(await File.ReadAllBytesAsync(_dir["by-gnu-tar/etc/secret"]), exported["etc/secret"]);

        await image.UnpackAsync(_dir["unpacked"]);
        Assert.Equal(expected, await File.ReadAllBytesAsync(_dir["unpacked/etc/secret"]));
        await image.WriteOciLayoutAsync(_dir["layout"]);
        await Peer.RunAsync("umoci", ["unpack", "--rootless", "--image", $"{_dir["layout"]}:v1", _dir["bundle"]]);
        Assert.Equal(expected, await File.ReadAllBytesAsync(_dir["bundle/rootfs/etc/secret"]));
    }
}
