namespace Dockerless.Archives;

/// <summary>
/// The files of an archive, found by their path inside it: the entries of a tar (scanned once,
/// data left in place) or the files under a layout directory. Small documents are read whole;
/// blobs are handed out as <see cref="FileRegion"/>s to be streamed later.
/// </summary>
internal abstract class ArchiveContents
{
    /// <summary>Documents (manifests, configs, indexes) larger than this are refused rather than read into memory.</summary>
    private const long MaxDocumentSize = 64 * 1024 * 1024;

    /// <summary>The archive's path, as error messages name it.</summary>
    public abstract string Source { get; }

    /// <summary>Finds <paramref name="path"/> (relative, forward slashes), following links inside the archive.</summary>
    public abstract bool TryLocate(string path, out FileRegion region);

    /// <summary>True when <paramref name="path"/> is a file in the archive.</summary>
    public bool Contains(string path) => TryLocate(path, out _);

    /// <summary>Finds <paramref name="path"/> or throws <see cref="MissingBlobException"/> naming what referred to it.</summary>
    public FileRegion Locate(string path, string referencedBy)
    {
        ArchivePaths.Check(Source, path);
        return TryLocate(path, out var region) ? region : throw new MissingBlobException(Source, path, referencedBy);
    }

    /// <summary>The path of a blob in an OCI layout: <c>blobs/ALG/HEX</c>.</summary>
    public static string BlobPath(Digest digest) => $"blobs/{digest.Algorithm}/{digest.Encoded}";

    /// <summary>Reads a whole small document, checking <paramref name="expected"/> digest and size when given.</summary>
    public static async Task<byte[]> ReadAllAsync(FileRegion region, Digest? expected, long expectedSize, CancellationToken cancellationToken)
    {
        if (region.Length > MaxDocumentSize)
        {
            throw new InvalidImageFormatException($"{region.What}: {region.Length} bytes is too large for a manifest, index or config");
        }
        if (expectedSize >= 0 && expectedSize != region.Length)
        {
            throw new DigestMismatchException(region.What, expected ?? default, default, expectedSize, region.Length);
        }
        var bytes = new byte[region.Length];
        var stream = new HashingStream(region.Open(), expected, region.Length, region.What);
        await using (stream.ConfigureAwait(false))
        {
            await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            stream.Verify();
        }
        return bytes;
    }

    /// <summary>Reads the blob <paramref name="descriptor"/> names, checking its digest and size.</summary>
    public Task<byte[]> ReadBlobAsync(Descriptor descriptor, string referencedBy, CancellationToken cancellationToken)
        => ReadAllAsync(Locate(BlobPath(descriptor.Digest), referencedBy), descriptor.Digest, descriptor.Size, cancellationToken);

    /// <summary>Opens a directory (an OCI layout) or scans a tar file.</summary>
    public static async Task<ArchiveContents> OpenAsync(string path, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path)) return new DirectoryContents(Path.GetFullPath(path));
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file or directory", path);
        return await TarContents.ScanAsync(Path.GetFullPath(path), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The files under an OCI layout directory.</summary>
internal sealed class DirectoryContents(string root) : ArchiveContents
{
    public override string Source => root;

    public override bool TryLocate(string path, out FileRegion region)
    {
        var full = Path.Combine(root, path);
        var info = new FileInfo(full);
        region = new FileRegion(full, 0, info.Exists ? info.Length : 0, full);
        return info.Exists;
    }
}
