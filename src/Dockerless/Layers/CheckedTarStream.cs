namespace Dockerless.Layers;

/// <summary>
/// A layer's uncompressed tar read from its blob, checked once read to its end: the blob is then
/// read on to its very end, so that its own stream checks digest and size, and the tar's digest
/// is compared with the diff_id (<see cref="DigestMismatchException"/> on a difference). A tar
/// reader stops at the end-of-archive marker, so whoever wants the checks drains this stream
/// after the last entry.
/// </summary>
internal sealed class CheckedTarStream : ReadOnlyStream
{
    private readonly Stream _blob;
    private readonly Stream _tar;
    private readonly HashingStream _diffId;

    public CheckedTarStream(Stream blob, LayerCompression compression, Digest diffId, string what)
    {
        _blob = blob;
        _tar = Layer.Decompress(blob, compression, leaveOpen: true);
        _diffId = new HashingStream(_tar, diffId, what: what, leaveOpen: true);
    }

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n;
        try
        {
            n = await _diffId.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DigestMismatchException or InvalidDataException or ZstdSharp.ZstdException)
        {
            // Undecodable data or a wrong diff_id: a blob that does not match its own digest says so more precisely.
            await BlobCopy.DrainAsync(_blob, cancellationToken).ConfigureAwait(false);
            throw;
        }
        if (n == 0 && buffer.Length > 0) await BlobCopy.DrainAsync(_blob, cancellationToken).ConfigureAwait(false);
        return n;
    }

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        await _diffId.DisposeAsync().ConfigureAwait(false);
        await _tar.DisposeAsync().ConfigureAwait(false);
        await _blob.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _diffId.Dispose();
            _tar.Dispose();
            _blob.Dispose();
        }
        base.Dispose(disposing);
    }
}
