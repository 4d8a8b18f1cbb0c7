namespace Dockerless.Archives;

/// <summary>
/// A non-distributable (foreign) layer an archive or layout lists without its blob: known by its
/// descriptor (media type, digest, size, URLs) and diff_id. A docker-archive may still hold its
/// uncompressed tar (docker save writes it and names the descriptor in <c>LayerSources</c>).
/// Pushing it moves no blob (registries do not store foreign layers), writing a layout keeps the
/// descriptor alone, and reading its compressed bytes is an error: the URLs are never fetched.
/// </summary>
internal sealed class ForeignLayer(Descriptor descriptor, Digest diffId, string source, FileRegion? tar = null) : Layer
{
    /// <inheritdoc/>
    public override Digest DiffId { get; } = diffId;

    /// <inheritdoc/>
    public override Digest Digest => descriptor.Digest;

    /// <inheritdoc/>
    public override long Size => descriptor.Size;

    /// <inheritdoc/>
    public override string MediaType => descriptor.MediaType;

    /// <inheritdoc/>
    public override IReadOnlyList<string>? Urls => descriptor.Urls;

    /// <summary>False: the blob is not here, and nothing will fetch it.</summary>
    public override bool IsLocal => false;

    /// <summary>
    /// The blob, which is here only when it is the uncompressed tar itself; otherwise
    /// <see cref="ForeignLayerException"/> names the digest and its URLs.
    /// </summary>
    public override Task<Stream> OpenAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (tar is null || Digest != DiffId) throw new ForeignLayerException(source, descriptor);
        return Task.FromResult<Stream>(new HashingStream(tar.Open(), Digest, Size, tar.What));
    }

    /// <summary>The uncompressed tar (checked against the diff_id as it is read), when the archive holds it.</summary>
    public override Task<Stream> OpenUncompressedAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (tar is null) throw new ForeignLayerException(source, descriptor);
        return Task.FromResult<Stream>(new HashingStream(tar.Open(), DiffId, tar.Length, tar.What));
    }
}
