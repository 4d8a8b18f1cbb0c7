using System.IO.Compression;

namespace Dockerless.Layers;

/// <summary>
/// One layer of an image: a filesystem changeset stored as a (usually compressed) tar blob.
/// What is cheap to know (digests, size, media type) is a property; the bytes are read only
/// through <see cref="OpenAsync"/>, so a layer whose bytes live elsewhere (a registry) is
/// lazy: nothing is fetched until something reads it.
/// </summary>
public abstract partial class Layer : IAsyncDisposable
{
    /// <summary>The digest of the uncompressed tar: the config's <c>rootfs.diff_ids</c> entry.</summary>
    public abstract Digest DiffId { get; }

    /// <summary>The digest of the blob as stored (compressed as <see cref="MediaType"/> says).</summary>
    public abstract Digest Digest { get; }

    /// <summary>The size of the blob as stored, in bytes.</summary>
    public abstract long Size { get; }

    /// <summary>The layer media type (OCI or Docker; gzip, zstd or uncompressed).</summary>
    public abstract string MediaType { get; }

    /// <summary>The URLs of a non-distributable (foreign) layer, if any.</summary>
    public virtual IReadOnlyList<string>? Urls => null;

    /// <summary>How the blob is compressed.</summary>
    public LayerCompression Compression => MediaTypes.CompressionOf(MediaType);

    /// <summary>False while the bytes have not been fetched from where they live (a lazy registry layer).</summary>
    public virtual bool IsLocal => true;

    /// <summary>
    /// Where the blob lives in a registry, for a layer that came from one: a push to the same
    /// registry mounts it from there and a push elsewhere streams it across.
    /// </summary>
    internal virtual Distribution.BlobOrigin? Origin => null;

    /// <summary>
    /// Opens the blob's bytes, compressed as <see cref="MediaType"/> says. The stream verifies
    /// <see cref="Digest"/> and <see cref="Size"/> as it is read and throws
    /// <see cref="DigestMismatchException"/> at the end on a difference.
    /// </summary>
    public abstract Task<Stream> OpenAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens the uncompressed tar, decompressing gzip or zstd while reading as the blob's first
    /// bytes say, whatever <see cref="MediaType"/> says (as docker and containerd read layers). Read to its end, the
    /// stream checks the blob's <see cref="Digest"/> and <see cref="Size"/> and the tar's
    /// <see cref="DiffId"/>, and throws <see cref="DigestMismatchException"/> on a difference; a
    /// tar reader stops at the end-of-archive marker, so read on after the last entry for the checks.
    /// </summary>
    public virtual async Task<Stream> OpenUncompressedAsync(CancellationToken cancellationToken = default)
    {
        var blob = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // Equal digest and diff_id: the blob is the tar itself, and its own stream checks both.
        return Digest == DiffId
            ? blob
            : new Layers.CheckedTarStream(blob, DiffId, $"layer {Digest} (diff_id {DiffId})");
    }

    /// <summary>
    /// A stream of <paramref name="blob"/> decompressed as <paramref name="compression"/> says
    /// (itself when uncompressed). Decompressors read 8 KiB at a time; a buffer under them turns
    /// that into 1 MiB reads of the blob (one syscall per MiB from a socket, not per 8 KiB). With
    /// <paramref name="leaveOpen"/>, reading <paramref name="blob"/> on afterwards skips what that
    /// buffer took, which a hashing blob has hashed already.
    /// </summary>
    internal static Stream Decompress(Stream blob, LayerCompression compression, bool leaveOpen = false) => compression switch
    {
        LayerCompression.Gzip => new GZipStream(new BufferedStream(blob, BlobCopy.BufferSize), CompressionMode.Decompress, leaveOpen),
        LayerCompression.Zstd => new ZstdSharp.DecompressionStream(new BufferedStream(blob, BlobCopy.BufferSize), leaveOpen: leaveOpen),
        _ => blob,
    };

    /// <summary>
    /// The descriptor of this layer in a manifest of the OCI family (<paramref name="docker"/>
    /// false) or the Docker family: the same bytes under the family's media type (a foreign
    /// layer stays foreign, so that registries accept it without its blob).
    /// </summary>
    public Descriptor ToDescriptor(bool docker = false) => new()
    {
        MediaType = MediaTypes.IsDocker(MediaType) == docker ? MediaType
            : MediaTypes.IsForeignLayer(MediaType) ? MediaTypes.ForeignLayerType(Compression, docker)
            : MediaTypes.LayerType(Compression, docker),
        Digest = Digest,
        Size = Size,
        Urls = Urls,
    };

    /// <summary>Releases what holds the bytes (a spooled temporary file, a connection).</summary>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{MediaType} {Digest} ({Size} bytes)";
}
