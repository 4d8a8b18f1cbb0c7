namespace Dockerless.Distribution.Http;

/// <summary>
/// Bounds each phase of a request rather than the whole: the wait for the response headers
/// (restarted whenever request-body bytes move, so a long upload is not cut), then every wait
/// for the next bytes of the response body (<see cref="IdleTimeoutStream"/>). A multi-GB body
/// may take as long as it needs while bytes keep coming.
/// </summary>
internal sealed class PhaseTimeoutHandler(TimeSpan readTimeout, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(readTimeout);
        var original = request.Content;
        HttpResponseMessage response;
        try
        {
            if (original is StreamContent)
            {
                request.Content = await ReadThroughAsync(original, body => new ActivityStream(body, () => idle.CancelAfter(readTimeout)), cancellationToken).ConfigureAwait(false);
            }
            response = await base.SendAsync(request, idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException(HttpRequestError.Unknown, $"no response within {readTimeout.TotalSeconds:0}s", e);
        }
        finally
        {
            request.Content = original;
        }
        try
        {
            response.Content = await ReadThroughAsync(response.Content, body => new IdleTimeoutStream(body, readTimeout), cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>The same content with the same headers, its body read through the stream <paramref name="wrap"/> makes.</summary>
    private static async Task<HttpContent> ReadThroughAsync(HttpContent content, Func<Stream, Stream> wrap, CancellationToken cancellationToken)
    {
        var wrapped = new StreamContent(wrap(await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false)), BlobCopy.BufferSize);
        foreach (var header in content.Headers) wrapped.Headers.TryAddWithoutValidation(header.Key, header.Value);
        return wrapped;
    }

    /// <summary>A read-through stream that tells someone each time bytes move.</summary>
    private sealed class ActivityStream(Stream inner, Action onActivity) : ReadOnlyStream
    {
        public override long Length => inner.Length;

        public override int Read(Span<byte> buffer)
        {
            onActivity();
            return inner.Read(buffer);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            onActivity();
            return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>A read-only stream that fails a read which waits longer than the timeout for its first byte.</summary>
internal sealed class IdleTimeoutStream(Stream inner, TimeSpan timeout) : ReadOnlyStream
{
    public override long Length => inner.Length;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(timeout);
        try
        {
            return await inner.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"no data for {timeout.TotalSeconds:0}s while reading a response body", e);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
