using System.Net;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Distribution;

/// <summary>
/// Uploads that cannot succeed end in one clear error naming the blob and the registry's error
/// code, and leave no tag behind; a refusal the registry takes back (the link race) is retried.
/// The faults come from a loopback proxy in front of the real registry.
/// </summary>
public sealed class UploadFailureTests
{
    private static readonly Dictionary<string, string> JsonHeaders = new() { ["Content-Type"] = "application/json" };

    private static byte[] ErrorDocument(string code, string message)
        => System.Text.Encoding.UTF8.GetBytes($$"""{"errors":[{"code":"{{code}}","message":"{{message}}"}]}""");

    [Fact]
    public async Task A_small_blob_refused_in_every_session_fails_the_push_and_stops_the_large_one_in_flight()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        await using var large = await TempLayer.CreateLargeAsync(3_000_000, seed: 31);
        await using var small = await TempLayer.CreateAsync(new Dictionary<string, byte[]> { ["/small"] = "refused"u8.ToArray() });
        var largeHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        proxy.Intercept = async (context, p) =>
        {
            var request = context.Request;
            if (!ProxiedRegistryTests.IsBlobBody(request)) return false;
            if (request.ContentLength64 == small.Size)
            {
                p.Record(request, 400, 0);
                await LoopbackProxy.RespondAsync(context, 400, JsonHeaders, ErrorDocument("BLOB_UPLOAD_INVALID", "blob upload invalid"));
                return true;
            }
            if (request.ContentLength64 != large.Size) return false;
            // Hold the large blob's bytes: only the small blob's failure can end the push early.
            largeHeld.TrySetResult();
            await release.Task;
            return false;
        };
        _ = Task.Delay(TimeSpan.FromMinutes(2)).ContinueWith(_ => release.TrySetResult(), TaskScheduler.Default);
        await using var registry = new Registry(new RegistryOptions { Address = proxy.Address, MaxRetries = 0 });
        await using var image = Image.Scratch("refused/app", "v1");
        image.AddLayer(large);
        image.AddLayer(small);

        var error = await Assert.ThrowsAsync<RegistryException>(() => registry.PushImageAsync(image));

        Assert.False(release.Task.IsCompleted, "the push waited for the held large blob instead of stopping it");
        Assert.True(largeHeld.Task.IsCompleted);
        release.TrySetResult();
        Assert.Equal("BLOB_UPLOAD_INVALID", error.Code);
        Assert.Contains($"{small.Digest}: the upload failed in 3 sessions", error.Message, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<RegistryException>(() => registry.GetManifestAsync("refused/app", "v1"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Bytes_damaged_on_the_way_to_the_registry_fail_the_push_with_its_DIGEST_INVALID()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        await using var layer = await TempLayer.CreateLargeAsync(1_500_000, seed: 32);
        proxy.Intercept = async (context, p) =>
        {
            var request = context.Request;
            if (request.HttpMethod != "PATCH" || request.ContentLength64 != layer.Size) return false;
            var body = new byte[request.ContentLength64];
            await request.InputStream.ReadExactlyAsync(body);
            body[body.Length / 2] ^= 0xff;
            using var upstream = await p.ForwardAsync(request, request.Url!.PathAndQuery, "PATCH", body: body);
            await p.RelayAsync(context, upstream);
            return true;
        };
        await using var registry = new Registry(new RegistryOptions { Address = proxy.Address, MaxRetries = 0 });
        await using var image = Image.Scratch("damaged/app", "v1");
        image.AddLayer(layer);

        var error = await Assert.ThrowsAsync<RegistryException>(() => registry.PushImageAsync(image));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("DIGEST_INVALID", error.Code);
        Assert.Contains("complete upload", error.Message, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<RegistryException>(() => registry.GetManifestAsync("damaged/app", "v1"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    /// <summary>A large layer (PATCH) and a small one (whole in the PUT) refused for good: one body sent, no new session.</summary>
    [Theory]
    [InlineData(1_500_000)]
    [InlineData(500_000)]
    public async Task A_blob_refused_with_DENIED_fails_the_push_after_one_body_without_resuming_or_new_sessions(int size)
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        await using var layer = await TempLayer.CreateLargeAsync(size, seed: 33);
        proxy.Intercept = async (context, p) =>
        {
            var request = context.Request;
            if (!ProxiedRegistryTests.IsBlobBody(request) || request.ContentLength64 != layer.Size) return false;
            await request.InputStream.CopyToAsync(Stream.Null);
            p.Record(request, 403, 0);
            await LoopbackProxy.RespondAsync(context, 403, JsonHeaders, ErrorDocument("DENIED", "requested access to the resource is denied"));
            return true;
        };
        await using var registry = new Registry(new RegistryOptions { Address = proxy.Address });
        await using var image = Image.Scratch("denied/app", "v1");
        image.AddLayer(layer);

        var error = await Assert.ThrowsAsync<RegistryException>(() => registry.PushImageAsync(image));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal("DENIED", error.Code);
        Assert.Contains(layer.Digest.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Single(proxy.Requests, r => r.Method is "PATCH" or "PUT" && r.RequestBytes == layer.Size);
        Assert.DoesNotContain(proxy.Requests, r => r.Method == "GET" && r.PathAndQuery.Contains("/blobs/uploads/", StringComparison.Ordinal));
        // The layer's session, and the config's if it began before the refusal stopped it: no new one after the refusal.
        Assert.InRange(registry.Uploader.SessionsStarted, 1, 2);
        var missing = await Assert.ThrowsAsync<RegistryException>(() => registry.GetManifestAsync("denied/app", "v1"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_manifest_refused_once_for_a_blob_the_registry_does_not_see_yet_is_put_again()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        var refused = 0;
        proxy.Intercept = async (context, p) =>
        {
            var request = context.Request;
            if (request.HttpMethod != "PUT" || !request.Url!.AbsolutePath.Contains("/manifests/", StringComparison.Ordinal) || Interlocked.Exchange(ref refused, 1) == 1) return false;
            await request.InputStream.CopyToAsync(Stream.Null);
            p.Record(request, 400, 0);
            await LoopbackProxy.RespondAsync(context, 400, JsonHeaders, ErrorDocument("MANIFEST_BLOB_UNKNOWN", "blob unknown to registry"));
            return true;
        };
        await using var registry = new Registry(new RegistryOptions { Address = proxy.Address, MaxRetries = 0 });
        await using var image = await RegistryRoundTripTests.SmallImageAsync("race/app");

        var digest = await registry.PushImageAsync(image);

        Assert.Equal([400, 201], proxy.Requests.Where(r => r.Method == "PUT" && r.PathAndQuery.Contains("/manifests/", StringComparison.Ordinal)).Select(r => r.Status));
        Assert.Equal(digest, await registry.GetDigestAsync("race/app", "v1"));
    }
}
