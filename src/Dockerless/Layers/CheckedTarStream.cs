namespace Dockerless.Layers;

/// <summary>
/// A layer's uncompressed tar read from its blob, decompressed as its first bytes say
/// (<see cref="CompressionMagic"/>), checked once read to its end: the blob is then
/// read on to its very end, so that its own stream checks digest and size, and the tar's digest
/// is compared with the diff_id (<see cref="DigestMismatchException"/> on a difference). A tar
/// reader stops at the end-of-archive marker, so whoever wants the checks drains this stream
/// after the last entry.
/// </summary>
internal sealed class CheckedTarStream : ReadOnlyStream
{
    private readonly Digest _expectedDiffId;
    private readonly string _what;
    private Stream _blob;
    private Stream? _tar;
    private HashingStream? _diffId;

    public CheckedTarStream(Stream blob, Digest diffId, string what)
    {
        _blob = blob;
        _expectedDiffId = diffId;
        _what = what;
    }

    /// <summary>The diff_id check over the decompressed tar, set up at the first read from the blob's first bytes.</summary>
    private async ValueTask<HashingStream> DiffIdAsync(CancellationToken cancellationToken)
    {
        if (_diffId is not null) return _diffId;
        var (compression, blob) = await CompressionMagic.SniffAsync(_blob, cancellationToken).ConfigureAwait(false);
        _blob = blob;
        _tar = Layer.Decompress(blob, compression, leaveOpen: true);
        return _diffId = new HashingStream(_tar, _expectedDiffId, what: _what, leaveOpen: true);
    }

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n;
        try
        {
            var diffId = await DiffIdAsync(cancellationToken).ConfigureAwait(false);
            n = await diffId.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
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
        if (_diffId is not null) await _diffId.DisposeAsync().ConfigureAwait(false);
        if (_tar is not null) await _tar.DisposeAsync().ConfigureAwait(false);
        await _blob.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _diffId?.Dispose();
            _tar?.Dispose();
            _blob.Dispose();
        }
        base.Dispose(disposing);
    }
}
