using System.Net;

namespace Dockerless.IntegrationTests.Fixtures;

/// <summary>
/// Answers of a registry that misbehaves without failing outright, for a <see cref="LoopbackProxy"/>
/// intercept: a body that announces more than it sends, a body that drips, tag-list pages whose
/// <c>Link</c> never ends, and a tag whose manifest changes between two requests.
/// </summary>
public static class HostileAnswers
{
    /// <summary>Forwards the request, then sends the whole body under a <c>Content-Length</c> <paramref name="extra"/> bytes too large, and drops the connection.</summary>
    public static async Task LyingContentLengthAsync(HttpListenerContext context, LoopbackProxy proxy, long extra)
    {
        using var upstream = await proxy.ForwardAsync(context.Request, context.Request.Url!.PathAndQuery, "GET");
        var body = await upstream.Content.ReadAsByteArrayAsync();
        var output = context.Response;
        output.StatusCode = (int)upstream.StatusCode;
        output.ContentLength64 = body.Length + extra;
        proxy.Record(context.Request, (int)upstream.StatusCode, body.Length + extra);
        await output.OutputStream.WriteAsync(body);
        await output.OutputStream.FlushAsync();
        output.Abort();
    }

    /// <summary>Forwards the request, then sends the body <paramref name="bytes"/> bytes at a time, one step every <paramref name="every"/>, for at most <paramref name="limit"/>.</summary>
    public static async Task DripAsync(HttpListenerContext context, LoopbackProxy proxy, int bytes, TimeSpan every, TimeSpan limit)
    {
        using var upstream = await proxy.ForwardAsync(context.Request, context.Request.Url!.PathAndQuery, "GET");
        var body = await upstream.Content.ReadAsByteArrayAsync();
        var output = context.Response;
        output.StatusCode = (int)upstream.StatusCode;
        output.ContentLength64 = body.Length;
        proxy.Record(context.Request, (int)upstream.StatusCode, body.Length);
        using var stop = new CancellationTokenSource(limit);
        try
        {
            for (var at = 0; at < body.Length; at += bytes)
            {
                await output.OutputStream.WriteAsync(body.AsMemory(at, Math.Min(bytes, body.Length - at)), stop.Token);
                await output.OutputStream.FlushAsync(stop.Token);
                await Task.Delay(every, stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The test's bound, not the client's: the client gave up long before (or the test fails).
        }
        output.Abort();
    }

    /// <summary>A tag-list or catalog page of <paramref name="entries"/> new names whose <c>Link</c> leads to yet another page, forever.</summary>
    public static async Task EndlessPageAsync(HttpListenerContext context, LoopbackProxy proxy, string field, int entries)
    {
        var page = int.Parse(context.Request.QueryString["page"] ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        var names = Enumerable.Range(0, entries).Select(i => $"\"p{page}-{i}\"");
        var body = System.Text.Encoding.UTF8.GetBytes($"{{\"name\":\"endless\",\"{field}\":[{string.Join(',', names)}]}}");
        var output = context.Response;
        output.StatusCode = 200;
        output.ContentType = "application/json";
        output.AppendHeader("Link", $"<{context.Request.Url!.AbsolutePath}?n={entries}&page={page + 1}>; rel=\"next\"");
        output.ContentLength64 = body.Length;
        proxy.Record(context.Request, 200, body.Length);
        await output.OutputStream.WriteAsync(body);
        output.Close();
    }

    /// <summary>Answers a request for a tag's manifest with that of <paramref name="tags"/>, a different one each time (in turn).</summary>
    public static Func<HttpListenerContext, LoopbackProxy, Task<bool>> FlippingTag(string manifestPath, params string[] tags)
    {
        var calls = 0;
        return async (context, proxy) =>
        {
            if (context.Request.Url!.AbsolutePath != manifestPath) return false;
            var tag = tags[Interlocked.Increment(ref calls) % tags.Length];
            var path = manifestPath[..(manifestPath.LastIndexOf('/') + 1)] + tag;
            using var upstream = await proxy.ForwardAsync(context.Request, path, context.Request.HttpMethod);
            await proxy.RelayAsync(context, upstream);
            return true;
        };
    }
}
