using System.Formats.Tar;
using System.IO.Compression;

namespace Dockerless.IntegrationTests.Fixtures;

/// <summary>One entry of a test layer: a file (bytes or a host file to stream), a directory or a symlink.</summary>
public sealed record TestEntry(string Path, byte[]? Data = null, string? HostFile = null, string? LinkTarget = null, UnixFileMode Mode = TestLayer.FileMode)
{
    /// <summary>A directory entry.</summary>
    public static TestEntry Directory(string path) => new(path, Mode: TestLayer.DirectoryMode);
}

/// <summary>
/// Builds layer blobs for tests with System.Formats.Tar and GZipStream straight into a file,
/// hashing the tar (diff_id) and the blob (digest) in the same pass, and wraps the file as a
/// file-backed layer.
/// </summary>
public static class TestLayer
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    public const UnixFileMode DirectoryMode = FileMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>Writes the entries (in the order given) as a layer blob at <paramref name="file"/>.</summary>
    public static async Task<Layer> BuildAsync(string file, IEnumerable<TestEntry> entries, LayerCompression compression = LayerCompression.Gzip)
    {
        Digest diffId;
        Digest digest;
        await using (var output = File.Create(file))
        {
            var blob = new HashingStream(output, leaveOpen: true);
            Stream compressed = compression switch
            {
                LayerCompression.Gzip => new GZipStream(blob, CompressionLevel.Fastest, leaveOpen: true),
                LayerCompression.Zstd => new ZstdSharp.CompressionStream(blob, leaveOpen: true),
                _ => blob,
            };
            var tar = new HashingStream(compressed, leaveOpen: true);
            await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
            {
                foreach (var e in entries) await writer.WriteEntryAsync(ToTarEntry(e));
            }
            diffId = tar.GetDigest();
            if (compressed != blob) await compressed.DisposeAsync();
            digest = blob.GetDigest();
        }
        var size = new FileInfo(file).Length;
        return new FileLayer(new FileRegion(file, 0, size, file), digest, diffId, MediaTypes.LayerType(compression));
    }

    private static PaxTarEntry ToTarEntry(TestEntry e)
    {
        var type = e.LinkTarget is not null ? TarEntryType.SymbolicLink
            : e.Data is null && e.HostFile is null ? TarEntryType.Directory
            : TarEntryType.RegularFile;
        var entry = new PaxTarEntry(type, e.Path)
        {
            Mode = e.Mode,
            ModificationTime = DateTimeOffset.UnixEpoch,
        };
        if (type == TarEntryType.RegularFile) entry.DataStream = e.HostFile is not null ? File.OpenRead(e.HostFile) : new MemoryStream(e.Data!);
        if (e.LinkTarget is not null) entry.LinkName = e.LinkTarget;
        return entry;
    }

    /// <summary>A layer of the given files (the registry tests' helper), built by the library's own layer builder.</summary>
    public static async Task<Layer> CreateAsync(IReadOnlyDictionary<string, byte[]> contents) => await Layer.FromContentsAsync(contents);

    /// <summary>An image of the given layers, named <paramref name="name"/>:<paramref name="tag"/>.</summary>
    public static Image ImageOf(string name, string tag, params Layer[] layers)
    {
        var image = Image.Scratch(name, tag);
        foreach (var layer in layers) image.AddLayer(layer);
        return image;
    }
}
