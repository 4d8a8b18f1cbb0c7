namespace Dockerless.Archives;

/// <summary>
/// A layer whose blob is a file (an OCI layout's <c>blobs/sha256/HEX</c>) or a region of one
/// (a layer tar inside a docker-archive or OCI archive). Nothing is read until
/// <see cref="OpenAsync"/>, and that stream checks the digest and size as it goes.
/// </summary>
internal sealed class FileLayer(FileRegion region, Digest digest, Digest diffId, string mediaType, IReadOnlyList<string>? urls = null) : Layer
{
    /// <summary>Where the blob's bytes are.</summary>
    public FileRegion Region { get; } = region;

    /// <inheritdoc/>
    public override Digest DiffId { get; } = diffId;

    /// <inheritdoc/>
    public override Digest Digest { get; } = digest;

    /// <inheritdoc/>
    public override long Size => Region.Length;

    /// <inheritdoc/>
    public override string MediaType { get; } = mediaType;

    /// <inheritdoc/>
    public override IReadOnlyList<string>? Urls { get; } = urls;

    /// <inheritdoc/>
    public override Task<Stream> OpenAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<Stream>(new HashingStream(Region.Open(), Digest, Region.Length, Region.What));
    }

    /// <summary>
    /// The compression of the bytes at <paramref name="region"/>, from their magic numbers
    /// (gzip 1f 8b, zstd 28 b5 2f fd); anything else is taken as a plain tar.
    /// </summary>
    public static async Task<LayerCompression> SniffCompressionAsync(FileRegion region, CancellationToken cancellationToken)
    {
        var magic = new byte[4];
        var stream = region.Open();
        await using (stream.ConfigureAwait(false))
        {
            var n = await stream.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) return LayerCompression.Gzip;
            if (n >= 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd) return LayerCompression.Zstd;
            return LayerCompression.None;
        }
    }
}
