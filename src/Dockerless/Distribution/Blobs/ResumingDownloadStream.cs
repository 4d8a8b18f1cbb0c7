using System.Net;

namespace Dockerless.Distribution.Blobs;

/// <summary>
/// A blob download that survives a dropped connection: when a read fails it asks the registry
/// again with <c>Range: bytes=N-</c> and carries on where it stopped (skipping ahead when the
/// registry ignores the range or answers from an earlier byte, asking for the whole blob again
/// when its answer starts later). Wrap it in a <see cref="HashingStream"/>: resumption must not
/// be trusted without the digest check at the end.
/// </summary>
internal sealed class ResumingDownloadStream : ReadOnlyStream
{
    private const int MaxResumes = 5;
    private readonly RegistryApi _api;
    private readonly string _repository;
    private readonly Digest _digest;
    private HttpResponseMessage _response;
    private Stream _body;
    private long _position;
    private int _resumes;
    /// <summary>The blob's size when the caller knows it (-1 if not): a body that ends cleanly before it was cut short, and is resumed.</summary>
    private long _length = -1;

    private ResumingDownloadStream(RegistryApi api, string repository, Digest digest, HttpResponseMessage response, Stream body)
    {
        _api = api;
        _repository = repository;
        _digest = digest;
        _response = response;
        _body = body;
    }

    public static async Task<ResumingDownloadStream> OpenAsync(RegistryApi api, string repository, Digest digest, long length, CancellationToken cancellationToken)
    {
        var response = await api.GetBlobAsync(repository, digest, 0, cancellationToken).ConfigureAwait(false);
        try
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new ResumingDownloadStream(api, repository, digest, response, body) { _length = length };
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public override long Position => _position;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            try
            {
                var n = await _body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (n == 0 && buffer.Length > 0 && _position < _length) throw new IOException($"the body ended after {_position} of {_length} bytes");
                _position += n;
                return n;
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                // Every byte of the blob arrived and then the body failed (it announced more than the
                // blob holds, or the connection dropped at the end): what arrived is checked against
                // the digest, not asked for again past its end.
                if (_length >= 0 && _position == _length) return 0;
                if (_resumes == MaxResumes || e is TransferTooSlowException)
                {
                    throw new RegistryException("get blob", _api.Host, _repository, null, null,
                        $"blob {_digest}: the body failed after {_position}{(_length >= 0 ? $" of {_length}" : "")} bytes{(e is TransferTooSlowException ? "" : $" and {MaxResumes} resumes")}: {e.Message}", e);
                }
                _resumes++;
                await ReopenAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ReopenAsync(CancellationToken cancellationToken)
    {
        await DisposeBodyAsync().ConfigureAwait(false);
        try
        {
            await OpenFromAsync(_position, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The registry has no byte at the offset the body stopped at: the blob is that short.
            throw new DigestMismatchException($"blob {_api.Host}/{_repository}@{_digest}", _digest, default, _length, _position);
        }
        // A 206 holds the range its Content-Range names (RFC 9110 §14.4), not always the one asked
        // for: bytes before the offset are skipped; one that starts later leaves a gap, so the
        // whole blob is asked for again.
        var start = _response.StatusCode == HttpStatusCode.PartialContent ? _response.Content.Headers.ContentRange?.From ?? _position : 0;
        if (start > _position)
        {
            await DisposeBodyAsync().ConfigureAwait(false);
            await OpenFromAsync(0, cancellationToken).ConfigureAwait(false);
            start = 0;
        }
        await _body.SkipAsync(_position - start, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks for the blob from <paramref name="offset"/> on (the whole blob at 0).</summary>
    private async Task OpenFromAsync(long offset, CancellationToken cancellationToken)
    {
        _response = await _api.GetBlobAsync(_repository, _digest, offset, cancellationToken).ConfigureAwait(false);
        _body = await _response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask DisposeBodyAsync()
    {
        await _body.DisposeAsync().ConfigureAwait(false);
        _response.Dispose();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body.Dispose();
            _response.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await DisposeBodyAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
