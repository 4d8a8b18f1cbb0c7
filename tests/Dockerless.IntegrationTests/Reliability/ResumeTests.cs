using Dockerless.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Dockerless.IntegrationTests.Reliability;

/// <summary>
/// A download cut at half its size resumes with <c>Range</c> and fetches only the other half,
/// counted at the proxy. (Uploads cut mid-PATCH, on the real registry and on one that reports
/// <c>Range</c>, are ProxiedRegistryTests' A_cut_upload_* tests.)
/// </summary>
public sealed class ResumeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_download_cut_at_half_resumes_with_Range_and_fetches_only_the_rest()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        await using var layer = await TempLayer.CreateLargeAsync(4_000_000, seed: 51);
        await using (var image = Image.Scratch("half/app", "v1"))
        await using (var writer = new Registry(server.Host))
        {
            image.AddLayer(layer);
            await writer.PushImageAsync(image);
        }
        var half = layer.Size / 2;
        var served = new List<(string Range, long Bytes)>();
        proxy.Intercept = async (context, p) =>
        {
            var request = context.Request;
            if (request.HttpMethod != "GET" || !request.Url!.AbsolutePath.EndsWith(layer.Digest.ToString(), StringComparison.Ordinal)) return false;
            using var upstream = await p.ForwardAsync(request, request.Url.PathAndQuery, "GET");
            var length = upstream.Content.Headers.ContentLength!.Value;
            var cut = served.Count == 0;
            var send = cut ? half : length;
            lock (served) served.Add((request.Headers["Range"] ?? "", send));
            context.Response.StatusCode = (int)upstream.StatusCode;
            if (upstream.Content.Headers.ContentRange is { } range) context.Response.AppendHeader("Content-Range", range.ToString());
            context.Response.ContentLength64 = length;
            await using var body = await upstream.Content.ReadAsStreamAsync();
            var buffer = new byte[send];
            await body.ReadExactlyAsync(buffer);
            await context.Response.OutputStream.WriteAsync(buffer);
            await context.Response.OutputStream.FlushAsync();
            if (cut) context.Response.Abort();
            else context.Response.Close();
            return true;
        };
        await using var registry = new Registry(new RegistryOptions { Address = proxy.Address, MaxRetries = 0 });

        await using var pulled = await registry.PullImageAsync("half/app", "v1");

        output.WriteLine($"blob of {layer.Size} bytes: {string.Join("; ", served.Select(s => $"Range '{s.Range}' -> {s.Bytes} bytes"))}");
        Assert.Equal([("", half), ($"bytes={half}-", layer.Size - half)], served);
        Assert.Equal(layer.Size, served.Sum(s => s.Bytes));
        await using var check = await pulled.Layers[0].OpenAsync();
        await check.CopyToAsync(Stream.Null);
    }
}
