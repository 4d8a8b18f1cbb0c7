using System.Collections.Concurrent;
using System.Net;

namespace Dockerless.IntegrationTests.Fixtures;

/// <summary>The faults <see cref="FaultProxy"/> injects.</summary>
public enum Fault
{
    /// <summary>The response body stops part way and the connection is reset.</summary>
    ResetResponse,
    /// <summary>The request body (an upload) is read part way, then answered 502 (the upstream connection "was reset").</summary>
    ResetRequest,
    /// <summary>503 Service Unavailable, without forwarding.</summary>
    ServiceUnavailable,
    /// <summary>429 Too Many Requests with <c>Retry-After: 1</c>, without forwarding.</summary>
    TooManyRequests,
    /// <summary>The request is held 300 ms, then forwarded.</summary>
    Slow,
    /// <summary>The response body ends cleanly (chunked) at half its length.</summary>
    ShortBody,
    /// <summary>One byte of the response body is flipped.</summary>
    FlippedByte,
}

/// <summary>
/// Injects faults into a <see cref="LoopbackProxy"/> in front of a real registry, drawn from a
/// seeded random sequence: each request to a blob, manifest or upload gets a fault with
/// probability <c>rate</c>, of a kind that fits it (body faults only where there is a body).
/// Counts what it injected.
/// </summary>
public sealed class FaultProxy
{
    private readonly Random _random;
    private readonly double _rate;
    private readonly ConcurrentDictionary<Fault, int> _injected = new();

    private FaultProxy(int seed, double rate)
    {
        _random = new Random(seed);
        _rate = rate;
    }

    /// <summary>Faults injected so far, by kind.</summary>
    public IReadOnlyDictionary<Fault, int> Injected => _injected;

    /// <summary>Installs a fault plan on <paramref name="proxy"/>.</summary>
    public static FaultProxy Install(LoopbackProxy proxy, int seed, double rate)
    {
        var faults = new FaultProxy(seed, rate);
        proxy.Intercept = faults.HandleAsync;
        return faults;
    }

    /// <summary>Stops injecting (to check results through the same proxy).</summary>
    public bool Enabled { get; set; } = true;

    private Fault? Choose(HttpListenerRequest request)
    {
        var path = request.Url!.AbsolutePath;
        var isBlobOrManifest = request.HttpMethod == "GET" && (path.Contains("/blobs/sha256:", StringComparison.Ordinal) || path.Contains("/manifests/", StringComparison.Ordinal));
        var isUpload = request.HttpMethod is "PATCH" or "PUT" && request.HasEntityBody && request.ContentLength64 != 0;
        if (!Enabled || !(isBlobOrManifest || isUpload || request.HttpMethod is "POST" or "HEAD")) return null;
        lock (_random)
        {
            if (_random.NextDouble() >= _rate) return null;
            Fault[] fitting = isBlobOrManifest ? [Fault.ResetResponse, Fault.ShortBody, Fault.FlippedByte, Fault.ServiceUnavailable, Fault.TooManyRequests, Fault.Slow]
                : isUpload ? [Fault.ResetRequest, Fault.ServiceUnavailable, Fault.Slow]
                : [Fault.ServiceUnavailable, Fault.Slow];
            return fitting[_random.Next(fitting.Length)];
        }
    }

    private double Fraction()
    {
        lock (_random) return 0.1 + 0.8 * _random.NextDouble();
    }

    private async Task<bool> HandleAsync(HttpListenerContext context, LoopbackProxy proxy)
    {
        var request = context.Request;
        if (Choose(request) is not { } fault) return false;
        _injected.AddOrUpdate(fault, 1, (_, n) => n + 1);
        switch (fault)
        {
            case Fault.Slow:
                await Task.Delay(300);
                return false;
            case Fault.ServiceUnavailable:
                await DrainAsync(request);
                proxy.Record(request, 503, 0);
                await LoopbackProxy.RespondAsync(context, 503, new Dictionary<string, string>());
                return true;
            case Fault.TooManyRequests:
                proxy.Record(request, 429, 0);
                await LoopbackProxy.RespondAsync(context, 429, new Dictionary<string, string> { ["Retry-After"] = "1" });
                return true;
            case Fault.ResetRequest:
                // HttpListener cannot reset a connection it has not answered; after reading part of
                // the upload it answers as a gateway whose upstream connection was reset.
                var part = new byte[(long)(request.ContentLength64 * Fraction())];
                await request.InputStream.ReadAtLeastAsync(part, part.Length, throwOnEndOfStream: false);
                proxy.Record(request, 502, 0);
                await LoopbackProxy.FailAsync(context);
                return true;
            default:
                using (var upstream = await proxy.ForwardAsync(request, request.Url!.PathAndQuery, request.HttpMethod))
                {
                    await RelayFaultyAsync(context, proxy, upstream, fault);
                }
                return true;
        }
    }

    private static async Task DrainAsync(HttpListenerRequest request)
    {
        if (request.HasEntityBody) await request.InputStream.CopyToAsync(Stream.Null);
    }

    /// <summary>Relays an upstream response with its body reset, shortened or corrupted part way.</summary>
    private async Task RelayFaultyAsync(HttpListenerContext context, LoopbackProxy proxy, HttpResponseMessage upstream, Fault fault)
    {
        var output = context.Response;
        output.StatusCode = (int)upstream.StatusCode;
        foreach (var header in upstream.Headers.Concat(upstream.Content.Headers))
        {
            if (header.Key is "Content-Length" or "Transfer-Encoding" or "Connection" or "Keep-Alive") continue;
            foreach (var value in header.Value) output.AppendHeader(header.Key, value);
        }
        var body = await upstream.Content.ReadAsByteArrayAsync();
        var cut = (int)(body.Length * Fraction());
        proxy.Record(context.Request, (int)upstream.StatusCode, body.Length);
        switch (fault)
        {
            case Fault.ResetResponse:
                output.ContentLength64 = body.Length;
                await output.OutputStream.WriteAsync(body.AsMemory(0, cut));
                await output.OutputStream.FlushAsync();
                output.Abort();
                return;
            case Fault.ShortBody:
                output.SendChunked = true;
                await output.OutputStream.WriteAsync(body.AsMemory(0, body.Length / 2));
                break;
            default:
                if (body.Length > 0) body[cut % body.Length] ^= 0x01;
                output.ContentLength64 = body.Length;
                await output.OutputStream.WriteAsync(body);
                break;
        }
        output.Close();
    }
}
