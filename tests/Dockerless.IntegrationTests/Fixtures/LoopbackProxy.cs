using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;

namespace Dockerless.IntegrationTests.Fixtures;

/// <summary>One request the proxy saw: method, path and query, status, and the body sizes each way (-1 when not announced).</summary>
public sealed record ProxiedRequest(string Method, string PathAndQuery, int Status, long RequestBytes, long ResponseBytes);

/// <summary>
/// A reverse HTTP proxy on a free loopback port in front of a real registry. It streams bodies
/// both ways and records every request with its byte counts; <see cref="Intercept"/> lets a
/// test answer a request itself (to page a tag list, or to emulate a registry that reports
/// an upload's <c>Range</c>), and <see cref="CutRequestBodyAfter"/> cuts one request body part
/// way through upstream (the registry sees a dropped connection) and answers the client 502.
/// An intercept that fails other than by a broken connection (a failed assertion, a bug) is
/// answered 502 too, and its exception is kept: <see cref="DisposeAsync"/> rethrows the first,
/// so the test fails with it rather than with the error the 502 caused in the client.
/// </summary>
public sealed class LoopbackProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "Host", "Content-Length",
    };

    private readonly LoopbackListener _listener;
    private readonly HttpClient _upstream;
    private readonly Uri _target;
    private readonly ConcurrentQueue<ProxiedRequest> _requests = new();
    private readonly ConcurrentQueue<Exception> _interceptFailures = new();

    private LoopbackProxy(Uri target)
    {
        _target = target;
        _upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = Timeout.InfiniteTimeSpan };
        _listener = LoopbackListener.Start(HandleAsync);
    }

    /// <summary>The proxy's port.</summary>
    public int Port => _listener.Port;

    /// <summary><c>http://127.0.0.1:PORT</c>.</summary>
    public string Address => $"http://127.0.0.1:{Port}";

    /// <summary>Every request so far.</summary>
    public IReadOnlyList<ProxiedRequest> Requests => [.. _requests];

    /// <summary>
    /// Exceptions <see cref="Intercept"/> threw other than for a broken connection (see
    /// <see cref="IsConnectionFailure"/>), in order; <see cref="DisposeAsync"/> rethrows the first.
    /// </summary>
    public IReadOnlyList<Exception> InterceptFailures => [.. _interceptFailures];

    /// <summary>
    /// Called for every request before it is forwarded; return true after writing the whole
    /// response yourself. <see cref="ForwardAsync"/> sends a request upstream for you.
    /// </summary>
    public Func<HttpListenerContext, LoopbackProxy, Task<bool>>? Intercept { get; set; }

    /// <summary>When set, the next request matching it has its body cut after this many bytes upstream; the client gets 502.</summary>
    public (Func<HttpListenerRequest, bool> Match, long Bytes)? CutRequestBodyAfter { get; set; }

    /// <summary>Starts a proxy to <paramref name="target"/> (<c>http://127.0.0.1:PORT</c>).</summary>
    public static LoopbackProxy Start(string target) => new(new Uri(target));

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            if (Intercept is { } intercept)
            {
                bool handled;
                try
                {
                    handled = await intercept(context, this);
                }
                catch (Exception e) when (!IsConnectionFailure(e))
                {
                    // A failed assertion or a bug in the test's intercept: kept for DisposeAsync to rethrow.
                    _interceptFailures.Enqueue(e);
                    throw;
                }
                if (handled) return;
            }
            var cut = CutRequestBodyAfter is { } c && c.Match(context.Request) ? c.Bytes : (long?)null;
            if (cut is not null) CutRequestBodyAfter = null;
            using var response = await ForwardAsync(context.Request, context.Request.Url!.PathAndQuery, context.Request.HttpMethod, cut);
            await RelayAsync(context, response);
        }
        catch (Exception)
        {
            // HttpListener cannot reset a connection without first sending a 200, so a failed
            // exchange is answered the way a gateway does when its upstream broke.
            await FailAsync(context);
        }
    }

    /// <summary>Sends the request upstream (optionally to another path, or with its body cut after <paramref name="cutAfter"/> bytes).</summary>
    public async Task<HttpResponseMessage> ForwardAsync(HttpListenerRequest incoming, string pathAndQuery, string method, long? cutAfter = null, byte[]? body = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), new Uri(_target, pathAndQuery));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
        }
        else if (incoming.HasEntityBody)
        {
            Stream source = incoming.InputStream;
            if (cutAfter is { } n) source = new CuttingStream(source, n);
            request.Content = new StreamContent(source);
            if (incoming.ContentLength64 >= 0) request.Content.Headers.ContentLength = incoming.ContentLength64;
        }
        foreach (var name in incoming.Headers.AllKeys.OfType<string>().Where(h => !HopByHop.Contains(h)))
        {
            var values = incoming.Headers.GetValues(name) ?? [];
            if (!request.Headers.TryAddWithoutValidation(name, values)) request.Content?.Headers.TryAddWithoutValidation(name, values);
        }
        request.Headers.Host = $"127.0.0.1:{Port}";
        return await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>Writes an upstream response back to the client, counting its bytes.</summary>
    public async Task RelayAsync(HttpListenerContext context, HttpResponseMessage response)
    {
        var output = context.Response;
        output.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers).Where(h => !HopByHop.Contains(h.Key)))
        {
            foreach (var value in header.Value) output.AppendHeader(header.Key, value);
        }
        // Recorded before the body goes out: a client that has read it all may look at once.
        var length = response.Content.Headers.ContentLength;
        if (context.Request.HttpMethod == "HEAD")
        {
            if (length is { } headLength) output.ContentLength64 = headLength;
            Record(context.Request, (int)response.StatusCode, 0);
        }
        else
        {
            if (length is { } known) output.ContentLength64 = known;
            else output.SendChunked = true;
            Record(context.Request, (int)response.StatusCode, length ?? -1);
            await using var body = await response.Content.ReadAsStreamAsync();
            await body.CopyToAsync(output.OutputStream);
        }
        output.Close();
    }

    /// <summary>Answers the client directly (for emulated responses).</summary>
    public static async Task RespondAsync(HttpListenerContext context, int status, IReadOnlyDictionary<string, string> headers, byte[]? body = null)
    {
        context.Response.StatusCode = status;
        foreach (var (k, v) in headers) context.Response.AppendHeader(k, v);
        context.Response.ContentLength64 = body?.Length ?? 0;
        if (body is not null) await context.Response.OutputStream.WriteAsync(body);
        context.Response.Close();
    }

    /// <summary>Answers 502 Bad Gateway (or drops the connection when the response already started).</summary>
    public static async Task FailAsync(HttpListenerContext context)
    {
        try
        {
            await RespondAsync(context, (int)HttpStatusCode.BadGateway, new Dictionary<string, string>());
        }
        catch (InvalidOperationException)
        {
            context.Response.Abort();
        }
    }

    /// <summary>Records a request the test answered itself.</summary>
    public void Record(HttpListenerRequest request, int status, long responseBytes)
        => _requests.Enqueue(new ProxiedRequest(request.HttpMethod, request.Url!.PathAndQuery, status, request.ContentLength64, responseBytes));

    /// <summary>
    /// What a broken or abandoned connection throws on either side of the proxy (the client hung
    /// up, the registry dropped the connection, a cut body): part of a fault, not a test failure.
    /// </summary>
    public static bool IsConnectionFailure(Exception e)
        => e is HttpListenerException or IOException or HttpRequestException or SocketException or ObjectDisposedException or OperationCanceledException;

    /// <summary>Stops the proxy, then rethrows the first exception an intercept failed with, if any.</summary>
    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync();
        _upstream.Dispose();
        if (_interceptFailures.TryPeek(out var failure)) ExceptionDispatchInfo.Throw(failure);
    }

    /// <summary>Passes the first bytes of a request body, then fails as a dropped connection does.</summary>
    private sealed class CuttingStream(Stream inner, long limit) : ReadOnlyStream
    {
        private long _passed;
        public override long Position => _passed;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_passed >= limit) throw new IOException("the proxy cut the request body");
            var n = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, limit - _passed)], cancellationToken);
            _passed += n;
            return n;
        }
    }
}
