namespace Dockerless.Distribution.Http;

/// <summary>
/// Bounds each phase of a request rather than the whole: the wait for the response headers
/// (restarted whenever request-body bytes move, so a long upload is not cut), then every wait
/// for the next bytes of the response body (<see cref="IdleTimeoutStream"/>), and the body's
/// average speed over a window (<see cref="RegistryOptions.MinimumSpeed"/>). A multi-GB body may
/// take as long as it needs while bytes keep coming fast enough.
/// </summary>
internal sealed class PhaseTimeoutHandler(RegistryOptions options, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private readonly TimeSpan _readTimeout = options.ReadTimeout;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(_readTimeout);
        var original = request.Content;
        HttpResponseMessage response;
        try
        {
            if (original is StreamContent)
            {
                request.Content = await ReadThroughAsync(original, body => new ActivityStream(body, () => idle.CancelAfter(_readTimeout)), cancellationToken).ConfigureAwait(false);
            }
            response = await base.SendAsync(request, idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException(HttpRequestError.Unknown, $"no response within {_readTimeout.TotalSeconds:0}s", e);
        }
        finally
        {
            request.Content = original;
        }
        try
        {
            response.Content = await ReadThroughAsync(response.Content, body => new IdleTimeoutStream(body, _readTimeout, options.MinimumSpeed, options.SpeedWindow), cancellationToken).ConfigureAwait(false);
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

/// <summary>
/// A read-only stream that fails a read which waits longer than the timeout for its first byte,
/// and a body whose average speed over a window falls below the minimum (as curl's
/// <c>--speed-limit</c> and <c>--speed-time</c>), with <see cref="TransferTooSlowException"/>.
/// </summary>
internal sealed class IdleTimeoutStream(Stream inner, TimeSpan timeout, long minimumSpeed, TimeSpan window) : ReadOnlyStream
{
    private long _windowStart = Environment.TickCount64;
    private long _windowBytes;

    public override long Length => inner.Length;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(timeout);
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"no data for {timeout.TotalSeconds:0}s while reading a response body", e);
        }
        CheckSpeed(read);
        return read;
    }

    private void CheckSpeed(int read)
    {
        if (minimumSpeed <= 0 || read == 0) return;
        _windowBytes += read;
        var elapsed = Environment.TickCount64 - _windowStart;
        if (elapsed < window.TotalMilliseconds) return;
        if (_windowBytes * 1000 < minimumSpeed * elapsed)
        {
            throw new TransferTooSlowException($"the response body came at {_windowBytes * 1000 / Math.Max(elapsed, 1)} bytes/s over {elapsed / 1000}s, below the minimum of {minimumSpeed} bytes/s");
        }
        _windowStart = Environment.TickCount64;
        _windowBytes = 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>A response body that arrived slower than <see cref="RegistryOptions.MinimumSpeed"/>: not resumed, since the next try would drip the same.</summary>
internal sealed class TransferTooSlowException(string message) : IOException(message);
