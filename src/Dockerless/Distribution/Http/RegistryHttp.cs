using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace Dockerless.Distribution.Http;

/// <summary>
/// The HTTP side of one registry: one pooled client (transport, timeouts, logging, redirects,
/// auth), the scheme decision, retries for requests that can be replayed, and the mapping of
/// error answers to <see cref="RegistryException"/>.
/// </summary>
internal sealed class RegistryHttp : IDisposable
{
    private const int MaxErrorBody = 64 * 1024;
    private readonly HttpClient _client;
    private readonly HttpMessageInvoker _unauthenticated;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;
    private readonly Lazy<Task<Uri>> _baseUri;

    public RegistryHttp(RegistryEndpoint endpoint, RegistryOptions options)
    {
        Endpoint = endpoint;
        Options = options;
        HttpMessageHandler transport = options.HttpHandler is { } given ? new BorrowedHandler(given) : OwnTransport(options, endpoint);
        HttpMessageHandler below = new RedirectHandler(new LoggingHandler(options.Logger ?? NullLogger.Instance, new PhaseTimeoutHandler(options, transport)));
        _retry = BuildRetry(options);
        Auth = new AuthHandler(endpoint, options, _retry, below);
        _unauthenticated = new HttpMessageInvoker(below, disposeHandler: false);
        _client = new HttpClient(Auth)
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        _client.DefaultRequestHeaders.UserAgent.Add(UserAgent.Product);
        _baseUri = new Lazy<Task<Uri>>(ResolveBaseUriAsync);
    }

    /// <summary>The transport Dockerless makes when the caller gives none: TLS trust as the options say, pooled connections.</summary>
    private static SocketsHttpHandler OwnTransport(RegistryOptions options, RegistryEndpoint endpoint)
    {
        var trust = new TlsTrust(options, endpoint);
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            // A connection busy with a blob is never cut; an idle one is renewed after a while,
            // so a long-lived client follows DNS changes. No MaxConnectionsPerServer: transfers
            // are bounded by MaxParallelBlobs, and a cap would stall lazy layers held open.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            // Over HTTP/2 parallel blobs would otherwise share one connection's flow-control window.
            EnableMultipleHttp2Connections = true,
            AutomaticDecompression = DecompressionMethods.None,
            SslOptions = { RemoteCertificateValidationCallback = trust.Validate },
        };
    }

    public RegistryEndpoint Endpoint { get; }

    public RegistryOptions Options { get; }

    public AuthHandler Auth { get; }

    /// <summary>
    /// Sends the request <paramref name="build"/> makes from the API base URI. With
    /// <paramref name="replayable"/> it is rebuilt and retried on transient failures, so it must
    /// not carry a one-shot stream. Connection failures become a <see cref="RegistryException"/>.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(string operation, string? repository, Func<Uri, HttpRequestMessage> build, CancellationToken cancellationToken, bool replayable = true)
    {
        var baseUri = await _baseUri.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!replayable)
            {
                using var once = build(baseUri);
                return await _client.SendAsync(once, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            return await _retry.ExecuteAsync(async token =>
            {
                using var request = build(baseUri);
                return await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.Find<DigestMismatchException>() is { } mismatch)
        {
            // A request body that failed its own digest check is bad content, not a network problem.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(mismatch);
            throw;
        }
        catch (RedirectRefusedException e)
        {
            // With its status, so that no caller takes it for a dropped connection to resume after.
            throw new RegistryException(operation, Endpoint.Host, repository, e.Status, null, e.Message, e);
        }
        catch (HttpRequestException e)
        {
            throw new RegistryException(operation, Endpoint.Host, repository, null, null, e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message, e);
        }
    }

    /// <summary>Sends and throws <see cref="RegistryException"/> unless the status is a success (or one of <paramref name="accepted"/>).</summary>
    public async Task<HttpResponseMessage> SendCheckedAsync(string operation, string? repository, Func<Uri, HttpRequestMessage> build, CancellationToken cancellationToken, bool replayable = true, params HttpStatusCode[] accepted)
    {
        var response = await SendAsync(operation, repository, build, cancellationToken, replayable).ConfigureAwait(false);
        if (response.IsSuccessStatusCode || accepted.Contains(response.StatusCode)) return response;
        using (response)
        {
            throw await ErrorAsync(response, operation, repository, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The exception for an error answer, with the registry's code from its body (or implied by the status).</summary>
    public Task<RegistryException> ErrorAsync(HttpResponseMessage response, string operation, string? repository, CancellationToken cancellationToken)
        => ErrorAsync(response, operation, repository, null, cancellationToken);

    /// <summary>As above; <paramref name="subject"/> (a blob's digest) leads the message, so one failure among parallel ones names what it concerned.</summary>
    public async Task<RegistryException> ErrorAsync(HttpResponseMessage response, string operation, string? repository, string? subject, CancellationToken cancellationToken)
    {
        string? code = null, message = null;
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var buffer = new byte[MaxErrorBody];
                var length = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (length > 0) (code, message) = FirstError(buffer.AsSpan(0, length));
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // A body that cannot be read leaves the code to the status.
        }
        // Where a redirect led (a blob store, whose signed URL may have expired) answered, not the
        // registry: the error names it, and its status implies no registry code.
        var elsewhere = response.RequestMessage?.RequestUri is { } answered && !Endpoint.Serves(answered) ? answered : null;
        code ??= elsewhere is not null ? null : response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => "UNAUTHORIZED",
            HttpStatusCode.Forbidden => "DENIED",
            HttpStatusCode.TooManyRequests => "TOOMANYREQUESTS",
            _ => null,
        };
        string?[] parts = [subject, elsewhere is null ? null : $"answered by {LoggingHandler.Redact(elsewhere)}, where the registry redirected", message];
        var detail = string.Join(": ", parts.Where(p => !string.IsNullOrEmpty(p)));
        return new RegistryException(operation, Endpoint.Host, repository, response.StatusCode, code, detail);
    }

    /// <summary>
    /// The whole of a small answer (<paramref name="what"/>: a token endpoint's, a page of a
    /// list), as <see cref="ReadBoundedAsync"/> reads it; one past <paramref name="limit"/>, cut
    /// off, or not decoding is a <see cref="RegistryException"/> of <paramref name="operation"/>
    /// saying so, rather than a bare <see cref="IOException"/> that names neither.
    /// </summary>
    internal static async Task<byte[]> ReadAnswerAsync(HttpResponseMessage response, int limit, string operation, string registry, string? repository, string what, CancellationToken cancellationToken)
    {
        byte[]? body;
        try
        {
            body = await ReadBoundedAsync(response.Content, limit, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new RegistryException(operation, registry, repository, response.StatusCode, null, $"{what} could not be read: {e.Message}", e);
        }
        return body ?? throw new RegistryException(operation, registry, repository, response.StatusCode, null, $"{what} is larger than {limit} bytes");
    }

    /// <summary>
    /// A document's body (a manifest, a token answer, a list page) read whole, or null when it is
    /// larger than <paramref name="limit"/> bytes: then no more than one byte past the limit is
    /// read (none when Content-Length says so first), so an endless body is not held in memory.
    /// A body sent with <c>Content-Encoding</c> gzip, deflate or br is decoded (Go's clients ask for
    /// gzip and decode it, so servers and proxies in front of registries send it unasked), the
    /// limit counting decoded bytes; one that does not decode is an <see cref="IOException"/>.
    /// </summary>
    internal static async Task<byte[]?> ReadBoundedAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > limit) return null;
        var stream = Decoded(await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), content.Headers.ContentEncoding);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int n;
            try
            {
                while ((n = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (buffer.Length + n > limit) return null;
                    buffer.Write(chunk, 0, n);
                }
            }
            catch (InvalidDataException e)
            {
                throw new IOException($"the body does not decode as its Content-Encoding {string.Join(", ", content.Headers.ContentEncoding)} says: {e.Message}", e);
            }
            return buffer.ToArray();
        }
    }

    /// <summary><paramref name="body"/> decoded by the codings applied to it, the last applied first.</summary>
    private static Stream Decoded(Stream body, ICollection<string> codings)
    {
        foreach (var coding in codings.Reverse())
        {
            body = coding.ToLowerInvariant() switch
            {
                "gzip" or "x-gzip" => new System.IO.Compression.GZipStream(body, System.IO.Compression.CompressionMode.Decompress),
                "deflate" => new System.IO.Compression.ZLibStream(body, System.IO.Compression.CompressionMode.Decompress),
                "br" => new System.IO.Compression.BrotliStream(body, System.IO.Compression.CompressionMode.Decompress),
                _ => body,
            };
        }
        return body;
    }

    /// <summary>
    /// The code and message of the first error in a distribution error body
    /// (<c>{"errors":[{"code":..,"message":..}]}</c>); nulls when the body is not that document,
    /// which leaves the code to the status.
    /// </summary>
    internal static (string? Code, string? Message) FirstError(ReadOnlySpan<byte> body)
    {
        try
        {
            var first = JsonSerializer.Deserialize(body, RegistryJsonContext.Default.ErrorResponse)?.Errors is { Count: > 0 } errors ? errors[0] : null;
            return (first?.Code, first?.Message);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    /// <summary>
    /// Resolves a <c>Location</c> or <c>Link</c> header of <paramref name="response"/>. A relative
    /// reference is relative to the URI of the request that got the answer (RFC 9110 10.2.2,
    /// RFC 3986 5.1.3), not to the API base: <c>uploads/u1</c> after POST
    /// <c>/v2/r/blobs/uploads/</c> names <c>/v2/r/blobs/uploads/uploads/u1</c>, and a query
    /// alone (<c>?_state=...</c>) keeps the request's path. A target that cannot be followed (as
    /// <see cref="RedirectHandler.Follow"/> says: no URI, or not http or https) is a
    /// <see cref="RegistryException"/> of <paramref name="operation"/> naming <paramref name="header"/>.
    /// </summary>
    public async Task<Uri> ResolveAsync(HttpResponseMessage response, Uri location, string header, string operation, string? repository, CancellationToken cancellationToken)
    {
        var requested = response.RequestMessage?.RequestUri ?? await _baseUri.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        return RedirectHandler.Follow(requested, location, out var why) ?? throw BadTarget(response, header, operation, repository, why);
    }

    /// <summary>The error for a <paramref name="header"/> (Location, Link) whose target cannot be requested, saying <paramref name="why"/>.</summary>
    public RegistryException BadTarget(HttpResponseMessage response, string header, string operation, string? repository, string why)
        => new(operation, Endpoint.Host, repository, response.StatusCode, null, $"the registry's {header} header {why}");

    /// <summary>
    /// The API base: the explicit scheme, else HTTPS, falling back to HTTP for loopback and
    /// insecure registries when HTTPS cannot connect or shake hands (as docker and crane do).
    /// </summary>
    private async Task<Uri> ResolveBaseUriAsync()
    {
        if (Endpoint.ExplicitScheme is { } scheme) return Endpoint.BaseUri(scheme);
        var https = Endpoint.BaseUri("https");
        if (!Endpoint.IsLoopback && !Options.Insecure) return https;
        try
        {
            using var ping = new HttpRequestMessage(HttpMethod.Get, new Uri(https, "v2/"));
            // Any answer, 401 included, proves HTTPS works; the ping skips auth so it cannot fail for credentials.
            using var response = await _unauthenticated.SendAsync(ping, CancellationToken.None).ConfigureAwait(false);
            return https;
        }
        catch (HttpRequestException)
        {
            return Endpoint.BaseUri("http");
        }
    }

    /// <summary>Retries on transport failures and transient statuses (<see cref="IsTransient"/>), honouring a capped <c>Retry-After</c>.</summary>
    private static ResiliencePipeline<HttpResponseMessage> BuildRetry(RegistryOptions options)
    {
        if (options.MaxRetries <= 0) return ResiliencePipeline<HttpResponseMessage>.Empty;
        return new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryDelay,
            MaxDelay = options.MaxRetryDelay,
            ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                .Handle<HttpRequestException>(e => e is not RedirectRefusedException)
                .Handle<IOException>()
                .HandleResult(r => IsTransient(r.StatusCode)),
            DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, options.MaxRetryDelay)),
        }).Build();
    }

    /// <summary>
    /// 408, 429 and 5xx may succeed later; any other 4xx will not change, nor will 501 (the server
    /// does not implement the method) or 505 (nor the HTTP version), which say so of every request.
    /// </summary>
    internal static bool IsTransient(HttpStatusCode status)
        => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
            || ((int)status >= 500 && status is not (HttpStatusCode.NotImplemented or HttpStatusCode.HttpVersionNotSupported));

    /// <summary>The delay a <c>Retry-After</c> header asks for, capped; null leaves the backoff to decide.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan max)
    {
        var header = response?.Headers.RetryAfter;
        var delay = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (delay is not { } d) return null;
        return d < TimeSpan.Zero ? TimeSpan.Zero : d > max ? max : d;
    }

    public void Dispose()
    {
        _unauthenticated.Dispose();
        _client.Dispose();
    }
}
