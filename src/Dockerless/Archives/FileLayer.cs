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

    /// <summary>The compression of the bytes at <paramref name="region"/>, from their magic numbers (<see cref="CompressionMagic"/>).</summary>
    public static async Task<LayerCompression> SniffCompressionAsync(FileRegion region, CancellationToken cancellationToken)
    {
        var magic = new byte[CompressionMagic.Length];
        var stream = region.Open();
        await using (stream.ConfigureAwait(false))
        {
            var n = await stream.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            return CompressionMagic.Of(magic.AsSpan(0, n));
        }
    }
}
