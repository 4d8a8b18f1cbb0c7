using System.IO.Compression;

namespace Dockerless.Layers;

/// <summary>
/// A layer Dockerless made: its tar was written, hashed (diff_id), compressed and hashed again
/// (digest) in one streaming pass, and the compressed bytes wait in memory (small layers) or in
/// an unlinked temporary file. Dispose it (or the image holding it) to release that file.
/// Build one with <see cref="LayerBuilder"/>, <see cref="Layer.FromPathAsync"/> or
/// <see cref="Layer.FromContentsAsync"/>.
/// </summary>
public sealed class BuiltLayer : Layer
{
    private readonly LayerSpool _spool;

    private BuiltLayer(Digest diffId, Digest digest, long uncompressedSize, LayerSpool spool, string mediaType)
    {
        DiffId = diffId;
        Digest = digest;
        UncompressedSize = uncompressedSize;
        MediaType = mediaType;
        _spool = spool;
    }

    /// <inheritdoc/>
    public override Digest DiffId { get; }

    /// <inheritdoc/>
    public override Digest Digest { get; }

    /// <inheritdoc/>
    public override long Size => _spool.Length;

    /// <summary>The size of the uncompressed tar, in bytes.</summary>
    public long UncompressedSize { get; }

    /// <inheritdoc/>
    public override string MediaType { get; }

    /// <summary>True when the compressed bytes were spooled to a temporary file rather than kept in memory.</summary>
    internal bool IsSpooledToDisk => _spool.IsOnDisk;

    /// <inheritdoc/>
    public override Task<Stream> OpenAsync(CancellationToken cancellationToken = default)
        => Task.FromResult<Stream>(new HashingStream(_spool.OpenRead(), Digest, Size, $"layer {Digest}"));

    /// <inheritdoc/>
    public override ValueTask DisposeAsync()
    {
        _spool.Dispose();
        return base.DisposeAsync();
    }

    /// <summary>
    /// Runs <paramref name="writeTar"/> once and turns what it writes into a layer: tar, diff_id,
    /// compression, digest and spooling all happen in that single pass.
    /// </summary>
    internal static async Task<BuiltLayer> CreateAsync(Func<Stream, CancellationToken, Task> writeTar, LayerOptions options, CancellationToken cancellationToken)
    {
        var spool = new LayerSpool(options.MemoryLimit, options.TemporaryDirectory);
        var compressed = new HashingStream(spool, leaveOpen: true);
        var compressor = options.Compression == LayerCompression.None ? null : Compress(compressed, options);
        // Uncompressed, the tar is the blob: one hash gives both digests.
        var tar = compressor is null ? compressed : new HashingStream(compressor, leaveOpen: true);
        var built = false;
        try
        {
            await writeTar(tar, cancellationToken).ConfigureAwait(false);
            var diffId = tar.GetDigest();
            var tarSize = tar.BytesHashed;
            if (compressor is not null) await compressor.DisposeAsync().ConfigureAwait(false);
            var digest = compressed.GetDigest();
            spool.Complete();
            built = true;
            return new BuiltLayer(diffId, digest, tarSize, spool, MediaTypes.LayerType(options.Compression));
        }
        finally
        {
            try
            {
                await tar.DisposeAsync().ConfigureAwait(false);
                if (compressor is not null) await compressor.DisposeAsync().ConfigureAwait(false);
                await compressed.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception) when (!built)
            {
                // The build already failed (or was cancelled): that exception is the one to report,
                // not a compressor's complaint while it is torn down half-way.
            }
            if (!built) await spool.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The compressor, leaving <paramref name="destination"/> open. .NET's gzip header is fixed
    /// (no name, mtime 0), so equal tars give equal blobs.
    /// </summary>
    private static Stream Compress(Stream destination, LayerOptions options) => options.Compression switch
    {
        LayerCompression.Gzip when options.ParallelGzip => new ParallelGzipStream(destination, options.CompressionLevel),
        LayerCompression.Gzip => new GZipStream(destination, options.CompressionLevel, leaveOpen: true),
        LayerCompression.Zstd => new ZstdSharp.CompressionStream(destination, options.CompressionLevel switch
        {
            CompressionLevel.Fastest or CompressionLevel.NoCompression => 1,
            CompressionLevel.SmallestSize => 19,
            _ => 3,
        }, 0, true),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Compression, "unknown compression"),
    };
}
