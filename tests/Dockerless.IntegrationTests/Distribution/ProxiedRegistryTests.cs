using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Distribution;

/// <summary>Behaviours a plain distribution 2.8 does not show, produced by a loopback proxy in front of the real registry.</summary>
public sealed class ProxiedRegistryTests
{
    /// <summary>Link targets as a path (what distribution sends) and as a query alone, relative to the page that named it.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Tag_list_follows_Link_pages_the_proxy_makes_of_the_real_answer(bool queryOnly)
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        proxy.Intercept = (context, p) => PageTagLists(context, p, queryOnly);
        await using var registry = new Registry(proxy.Address);
        await using var image = await RegistryRoundTripTests.SmallImageAsync("paged/app");
        string[] tags = ["a", "b", "c", "d", "e"];
        await registry.PushImageAsync(image, tags);

        var listed = await registry.ListTagsAsync("paged/app", pageSize: 2);

        Assert.Equal(tags.Prepend("v1").Order(StringComparer.Ordinal), listed);
        Assert.Equal(3, proxy.Requests.Count(r => r.PathAndQuery.StartsWith("/v2/paged/app/tags/list", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Link_pages_that_lead_back_to_a_page_already_read_end_in_an_error_not_a_loop()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        await using var registry = new Registry(proxy.Address);
        await using var image = await RegistryRoundTripTests.SmallImageAsync("looping/app");
        await registry.PushImageAsync(image, ["a", "b"]);
        proxy.Intercept = async (context, p) =>
        {
            var request = context.Request;
            if (!request.Url!.AbsolutePath.EndsWith("/tags/list", StringComparison.Ordinal)) return false;
            using var upstream = await p.ForwardAsync(request, request.Url.PathAndQuery, "GET");
            // Every page says the next one is the first.
            upstream.Headers.TryAddWithoutValidation("Link", $"<{request.Url.AbsolutePath}?n=2>; rel=\"next\"");
            await p.RelayAsync(context, upstream);
            return true;
        };

        var error = await Assert.ThrowsAsync<RegistryException>(() => registry.ListTagsAsync("looping/app", pageSize: 2));

        Assert.Contains("the registry's Link header leads back to a page already read", error.Message, StringComparison.Ordinal);
        Assert.InRange(proxy.Requests.Count(r => r.PathAndQuery.Contains("/tags/list", StringComparison.Ordinal)), 2, 3);
    }

    /// <summary>
    /// The proxy's own contract: an assertion failing inside an intercept reaches the test from
    /// the proxy's DisposeAsync, not only as the 502 the client saw; a broken connection inside
    /// an intercept is a fault like any other and is not reported.
    /// </summary>
    [Fact]
    public async Task An_assertion_failing_inside_an_intercept_is_rethrown_by_the_proxy_not_lost_in_a_502()
    {
        await using var server = await RegistryProcess.StartAsync();
        var proxy = LoopbackProxy.Start($"http://{server.Host}");
        var calls = 0;
        proxy.Intercept = (context, _) =>
        {
            if (!context.Request.Url!.AbsolutePath.EndsWith("/tags/list", StringComparison.Ordinal)) return Task.FromResult(false);
            if (Interlocked.Increment(ref calls) == 1) throw new IOException("a connection the intercept was using broke");
            Assert.Fail("the intercept's own assertion");
            return Task.FromResult(false);
        };
        await using (var registry = new Registry(new RegistryOptions { Address = proxy.Address, MaxRetries = 0 }))
        {
            var broken = await Assert.ThrowsAsync<RegistryException>(() => registry.ListTagsAsync("intercepted/app"));
            Assert.Equal(HttpStatusCode.BadGateway, broken.StatusCode);
            Assert.Empty(proxy.InterceptFailures);
            var failed = await Assert.ThrowsAsync<RegistryException>(() => registry.ListTagsAsync("intercepted/app"));
            Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        }

        var rethrown = await Assert.ThrowsAsync<Xunit.Sdk.FailException>(async () => await proxy.DisposeAsync());

        Assert.Contains("the intercept's own assertion", rethrown.Message, StringComparison.Ordinal);
        Assert.IsType<Xunit.Sdk.FailException>(Assert.Single(proxy.InterceptFailures));
    }

    [Fact]
    public async Task A_manifest_named_by_a_sha512_digest_is_verified_by_sha512_and_keeps_that_digest()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        await using var registry = new Registry(new RegistryOptions { Address = proxy.Address, MaxRetries = 0 });
        await using var image = await RegistryRoundTripTests.SmallImageAsync("sha512/app");
        await registry.PushImageAsync(image);
        var bytes = (await registry.GetManifestAsync("sha512/app", "v1")).Bytes.ToArray();
        var sha512 = Digest.Parse("sha512:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA512.HashData(bytes)));
        var damaged = false;
        // distribution 2.8 stores manifests by sha256 only: the proxy serves this one by its sha512 name.
        proxy.Intercept = async (context, p) =>
        {
            if (Uri.UnescapeDataString(context.Request.Url!.AbsolutePath) != $"/v2/sha512/app/manifests/{sha512}") return false;
            using var upstream = await p.ForwardAsync(context.Request, "/v2/sha512/app/manifests/v1", context.Request.HttpMethod);
            var body = await upstream.Content.ReadAsByteArrayAsync();
            if (damaged) body[^2] ^= 1;
            p.Record(context.Request, 200, body.Length);
            await LoopbackProxy.RespondAsync(context, 200, new Dictionary<string, string>
            {
                ["Content-Type"] = upstream.Content.Headers.ContentType!.ToString(),
                ["Docker-Content-Digest"] = sha512.ToString(),
            }, body);
            return true;
        };

        var fetched = await registry.GetManifestAsync("sha512/app", sha512.ToString());
        await using (var pulled = await registry.PullImageAsync("sha512/app", sha512.ToString()))
        {
            Assert.Equal(image.Layers.Select(l => l.Digest), pulled.Layers.Select(l => l.Digest));
        }
        damaged = true;
        var error = await Assert.ThrowsAsync<DigestMismatchException>(() => registry.GetManifestAsync("sha512/app", sha512.ToString()));

        Assert.Equal(sha512, fetched.Digest);
        Assert.Equal(bytes, fetched.Bytes.ToArray());
        Assert.Equal(sha512, error.Expected);
        Assert.Equal(Digest.Sha512, error.Actual.Algorithm);
    }

    [Fact]
    public async Task A_refused_mount_falls_back_to_uploading_the_blob()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        await using var registry = new Registry(new RegistryOptions { Address = proxy.Address, MaxRetries = 0 });
        await using var image = await RegistryRoundTripTests.SmallImageAsync("mount-src/app");
        var pushed = await registry.PushImageAsync(image);
        // As a registry answers credentials that may push to the destination but not pull the source.
        proxy.Intercept = async (context, p) =>
        {
            if (context.Request.HttpMethod != "POST" || context.Request.QueryString["mount"] is null) return false;
            p.Record(context.Request, 403, 0);
            await LoopbackProxy.RespondAsync(context, 403, new Dictionary<string, string> { ["Content-Type"] = "application/json" },
                """{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}"""u8.ToArray());
            return true;
        };

        var before = proxy.Requests.Count;

        var copied = await registry.CopyAsync("mount-src/app:v1", registry, "mount-dst/app:v1");

        Assert.Equal(pushed, copied);
        var during = proxy.Requests.Skip(before).ToList();
        var blobs = image.Layers.Count + 1;
        Assert.Equal(blobs, during.Count(r => r.Method == "POST" && r.Status == 403));
        Assert.Equal(blobs, during.Count(IsUploadBody));
        await using var pulled = await registry.PullImageAsync("mount-dst/app", "v1");
        Assert.Equal(image.Layers.Select(l => l.Digest), pulled.Layers.Select(l => l.Digest));
    }

    private static bool IsUploadBody(ProxiedRequest request)
        => request.Method is "PATCH" or "PUT" && request.RequestBytes > 0 && request.PathAndQuery.Contains("/blobs/uploads/", StringComparison.Ordinal);

    /// <summary>Answers tag lists in pages of <c>n</c> after <c>last</c>, with a <c>Link</c> to the next page, as the OCI spec describes.</summary>
    private static async Task<bool> PageTagLists(HttpListenerContext context, LoopbackProxy proxy, bool queryOnly)
    {
        var request = context.Request;
        if (request.HttpMethod != "GET" || !request.Url!.AbsolutePath.EndsWith("/tags/list", StringComparison.Ordinal)) return false;
        using var upstream = await proxy.ForwardAsync(request, request.Url.AbsolutePath, "GET");
        var document = JsonNode.Parse(await upstream.Content.ReadAsStringAsync())!;
        var all = document["tags"]!.AsArray().Select(t => t!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        var n = int.Parse(request.QueryString["n"] ?? "1000", System.Globalization.CultureInfo.InvariantCulture);
        var last = request.QueryString["last"];
        var page = all.Where(t => last is null || string.CompareOrdinal(t, last) > 0).Take(n).ToList();
        var headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" };
        if (page.Count == n && all.IndexOf(page[^1]) < all.Count - 1)
        {
            headers["Link"] = $"<{(queryOnly ? "" : request.Url.AbsolutePath)}?n={n}&last={page[^1]}>; rel=\"next\"";
        }
        var body = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["name"] = document["name"]!.DeepClone(), ["tags"] = new JsonArray([.. page.Select(t => JsonValue.Create(t))]) });
        proxy.Record(request, 200, body.Length);
        await LoopbackProxy.RespondAsync(context, 200, headers, body);
        return true;
    }

    [Fact]
    public async Task A_cut_upload_resumes_from_the_Range_the_registry_reports()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        const int Delivered = 300_000;
        var latestLocation = new Dictionary<string, string>();
        var cut = false;
        proxy.Intercept = async (context, p) =>
        {
            var request = context.Request;
            var path = request.Url!.AbsolutePath;
            if (request.HttpMethod == "PATCH" && request.ContentLength64 > Delivered && !cut)
            {
                // Deliver the first bytes as a complete PATCH, then fail the client's request as a gateway would.
                cut = true;
                var head = new byte[Delivered];
                await request.InputStream.ReadExactlyAsync(head);
                using var partial = await p.ForwardAsync(request, request.Url.PathAndQuery, "PATCH", body: head);
                lock (latestLocation) latestLocation[path] = partial.Headers.Location!.ToString();
                await LoopbackProxy.FailAsync(context);
                return true;
            }
            if (request.HttpMethod == "GET" && path.Contains("/blobs/uploads/", StringComparison.Ordinal))
            {
                // A registry that keeps sessions across cuts: answer from the session's real state.
                string? target;
                lock (latestLocation) latestLocation.TryGetValue(path, out target);
                using var status = await p.ForwardAsync(request, target is null ? request.Url.PathAndQuery : new Uri(target).PathAndQuery, "GET");
                await p.RelayAsync(context, status);
                return true;
            }
            return false;
        };
        await using var registry = new Registry(new RegistryOptions { Address = proxy.Address, MaxRetries = 0 });
        await using var layer = await TempLayer.CreateLargeAsync(2_000_000, seed: 7);
        await using var image = Image.Scratch("resume/app", "v1");
        image.AddLayer(layer);

        await registry.PushImageAsync(image);

        Assert.Equal(2, registry.Uploader.SessionsStarted); // config and layer: the layer's session was resumed, not replaced
        var patches = proxy.Requests.Where(r => r.Method == "PATCH" && r.RequestBytes > 100_000).ToList();
        Assert.Contains(proxy.Requests, r => r.Method == "GET" && r.PathAndQuery.Contains("/blobs/uploads/", StringComparison.Ordinal) && r.Status == 204);
        await using var direct = new Registry($"http://{server.Host}");
        await using var pulled = await direct.PullImageAsync("resume/app", "v1");
        Assert.Equal(layer.Digest, pulled.Layers[0].Digest);
        Assert.Single(patches);
        Assert.Equal(layer.Size - Delivered, patches[0].RequestBytes);
    }

    [Fact]
    public async Task A_cut_upload_the_real_registry_refuses_to_resume_starts_a_new_session()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        proxy.CutRequestBodyAfter = (r => r.HttpMethod == "PATCH" && r.ContentLength64 > 500_000, 500_000);
        await using var registry = new Registry(new RegistryOptions { Address = proxy.Address, MaxRetries = 0 });
        await using var layer = await TempLayer.CreateLargeAsync(3_000_000, seed: 9);
        await using var image = Image.Scratch("restart/app", "v1");
        image.AddLayer(layer);

        await registry.PushImageAsync(image);

        Assert.Equal(3, registry.Uploader.SessionsStarted); // config, the cut layer session, its replacement
        await using var pulled = await registry.PullImageAsync("restart/app", "v1");
        Assert.Equal(layer.Digest, pulled.Layers[0].Digest);
    }

    [Fact]
    public async Task A_PATCH_answered_429_waits_the_Retry_After_before_resuming_the_same_session()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        await using var layer = await TempLayer.CreateLargeAsync(2_000_000, seed: 11);
        var retryAfter = TimeSpan.FromSeconds(2);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string? session = null;
        var seen = new List<(string Method, TimeSpan At)>();
        proxy.Intercept = async (context, p) =>
        {
            var request = context.Request;
            var path = request.Url!.AbsolutePath;
            lock (seen)
            {
                if (session is not null && path == session) seen.Add((request.HttpMethod, clock.Elapsed));
            }
            if (request.HttpMethod != "PATCH" || request.ContentLength64 != layer.Size || Interlocked.CompareExchange(ref session, path, null) is not null) return false;
            await request.InputStream.CopyToAsync(Stream.Null);
            lock (seen) seen.Add(("PATCH", clock.Elapsed));
            p.Record(request, 429, 0);
            await LoopbackProxy.RespondAsync(context, 429, new Dictionary<string, string> { ["Retry-After"] = "2" });
            return true;
        };
        await using var registry = new Registry(new RegistryOptions { Address = proxy.Address, MaxRetries = 0 });
        await using var image = Image.Scratch("ratelimited/app", "v1");
        image.AddLayer(layer);

        await registry.PushImageAsync(image);

        List<(string Method, TimeSpan At)> order;
        lock (seen) order = [.. seen];
        Assert.True(order.Count >= 2, $"requests for the session: {string.Join(", ", order)}");
        Assert.Equal("PATCH", order[0].Method);
        // A little slack for the clock's and the client's timer resolution.
        Assert.True(order[1].At - order[0].At >= retryAfter - TimeSpan.FromMilliseconds(100), $"the next request came {(order[1].At - order[0].At).TotalMilliseconds} ms after the 429");
        Assert.Equal(2, registry.Uploader.SessionsStarted); // config and layer: the session was resumed, not replaced
        await using var pulled = await registry.PullImageAsync("ratelimited/app", "v1");
        Assert.Equal(layer.Digest, pulled.Layers[0].Digest);
    }

    [Fact]
    public async Task Relative_upload_Locations_are_resolved_against_the_request_that_got_them()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        var rewritten = new List<string>();
        proxy.Intercept = async (context, p) =>
        {
            var request = context.Request;
            var path = request.Url!.AbsolutePath;
            if (request.HttpMethod is not ("POST" or "PATCH") || !path.Contains("/blobs/uploads/", StringComparison.Ordinal)) return false;
            using var upstream = await p.ForwardAsync(request, request.Url.PathAndQuery, request.HttpMethod);
            if (upstream.Headers.Location is { } location)
            {
                // The same session as a path-relative reference: after the POST to .../uploads/ its
                // last segment and query; after a PATCH to the session's own path, the query alone.
                var target = new Uri(new Uri(p.Address), location);
                var directory = path[..(path.LastIndexOf('/') + 1)];
                Assert.StartsWith(directory, target.AbsolutePath, StringComparison.Ordinal);
                var relative = target.AbsolutePath == path ? target.Query : target.AbsolutePath[directory.Length..] + target.Query;
                upstream.Headers.Location = new Uri(relative, UriKind.Relative);
                lock (rewritten) rewritten.Add($"{request.HttpMethod} {relative}");
            }
            await p.RelayAsync(context, upstream);
            return true;
        };
        await using var registry = new Registry(new RegistryOptions { Address = proxy.Address, MaxRetries = 0, ChunkSize = 600_000 });
        await using var layer = await TempLayer.CreateLargeAsync(1_500_000, seed: 13);
        await using var image = Image.Scratch("relative/app", "v1");
        image.AddLayer(layer);

        await registry.PushImageAsync(image);

        Assert.Contains(rewritten, r => r.StartsWith("POST ", StringComparison.Ordinal) && !r.StartsWith("POST ?", StringComparison.Ordinal));
        Assert.Contains(rewritten, r => r.StartsWith("PATCH ?", StringComparison.Ordinal));
        Assert.DoesNotContain(proxy.Requests, r => r.Status >= 400 && r.PathAndQuery.Contains("/blobs/uploads/", StringComparison.Ordinal));
        Assert.Equal(2, registry.Uploader.SessionsStarted); // config and layer, each in the session its POST started
        await using var pulled = await registry.PullImageAsync("relative/app", "v1");
        Assert.Equal(layer.Digest, pulled.Layers[0].Digest);
    }

    [Fact]
    public async Task Chunks_grow_to_the_OCI_Chunk_Min_Length_the_registry_announces()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        const int MinChunk = 1024 * 1024;
        proxy.Intercept = async (context, p) =>
        {
            if (context.Request.HttpMethod != "POST") return false;
            using var upstream = await p.ForwardAsync(context.Request, context.Request.Url!.PathAndQuery, "POST");
            context.Response.AppendHeader("OCI-Chunk-Min-Length", MinChunk.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await p.RelayAsync(context, upstream);
            return true;
        };
        await using var registry = new Registry(new RegistryOptions { Address = proxy.Address, ChunkSize = 64 * 1024 });
        await using var layer = await TempLayer.CreateLargeAsync(2_500_000, seed: 11);
        await using var image = Image.Scratch("minchunk/app", "v1");
        image.AddLayer(layer);

        await registry.PushImageAsync(image);

        var chunks = proxy.Requests.Where(r => r.Method == "PATCH" && r.RequestBytes > 10_000).Select(r => r.RequestBytes).ToList();
        Assert.Equal(3, chunks.Count);
        Assert.All(chunks.SkipLast(1), c => Assert.Equal(MinChunk, c));
    }

    /// <summary>
    /// Seven small blobs (six layers under 1 MiB and the config, each sent whole in a PUT) with
    /// MaxParallelBlobs = 2: the proxy holds the first blob body until a second one is in flight,
    /// so a client that moved them one at a time would leave it waiting (the hang guard then fails
    /// the test), and counts how many are in flight at once, which must never pass 2.
    /// </summary>
    [Fact]
    public async Task Blobs_move_in_parallel_but_no_more_than_the_bound()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        int active = 0, most = 0;
        var two = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        proxy.Intercept = async (context, p) =>
        {
            var request = context.Request;
            if (!IsBlobBody(request)) return false;
            var now = Interlocked.Increment(ref active);
            lock (proxy) most = Math.Max(most, now);
            try
            {
                if (now >= 2) two.TrySetResult();
                try
                {
                    await two.Task.WaitAsync(TimeSpan.FromMinutes(1));
                }
                catch (TimeoutException)
                {
                    Assert.Fail("a blob body waited a minute at the proxy without a second one starting: the blobs did not move in parallel");
                }
                using var upstream = await p.ForwardAsync(request, request.Url!.PathAndQuery, request.HttpMethod);
                await p.RelayAsync(context, upstream);
            }
            finally
            {
                Interlocked.Decrement(ref active);
            }
            return true;
        };
        // No retries: a blob the hang guard fails ends the push at once.
        await using var registry = new Registry(new RegistryOptions { Address = proxy.Address, MaxParallelBlobs = 2, MaxRetries = 0 });
        await using var image = Image.Scratch("parallel/app", "v1");
        for (var i = 0; i < 6; i++) image.AddLayer(await TempLayer.CreateLargeAsync(300_000, seed: 20 + i));

        await registry.PushImageAsync(image);

        Assert.Equal(2, most);
        Assert.Equal(7, proxy.Requests.Count(r => r.RequestBytes > 0 && r.PathAndQuery.Contains("/blobs/uploads/", StringComparison.Ordinal)));
    }

    /// <summary>A request carrying blob bytes: a PATCH, or the PUT of a small blob sent whole.</summary>
    internal static bool IsBlobBody(HttpListenerRequest request)
        => request.HttpMethod is "PATCH" or "PUT" && request.ContentLength64 > 0 && request.Url!.AbsolutePath.Contains("/blobs/uploads/", StringComparison.Ordinal);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_download_dropped_or_stalled_part_way_resumes_with_Range(bool stall)
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        await using var layer = await TempLayer.CreateLargeAsync(2_000_000, seed: 5);
        await using (var image = Image.Scratch("drop/app", "v1"))
        await using (var writer = new Registry(server.Host))
        {
            image.AddLayer(layer);
            await writer.PushImageAsync(image);
        }
        const int Passed = 700_000;
        var ranges = new List<string>();
        var dropped = 0;
        var resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        proxy.Intercept = async (context, p) =>
        {
            var request = context.Request;
            if (request.HttpMethod != "GET" || !request.Url!.AbsolutePath.EndsWith(layer.Digest.ToString(), StringComparison.Ordinal)) return false;
            lock (ranges) ranges.Add(request.Headers["Range"] ?? "");
            if (Interlocked.Exchange(ref dropped, 1) == 1)
            {
                resumed.TrySetResult();
                return false;
            }
            // Send the headers and the first bytes, then go silent (a stall) or drop the connection.
            using var upstream = await p.ForwardAsync(request, request.Url.PathAndQuery, "GET");
            context.Response.StatusCode = 200;
            context.Response.ContentLength64 = upstream.Content.Headers.ContentLength!.Value;
            await using var body = await upstream.Content.ReadAsStreamAsync();
            var head = new byte[Passed];
            await body.ReadExactlyAsync(head);
            await context.Response.OutputStream.WriteAsync(head);
            await context.Response.OutputStream.FlushAsync();
            if (stall)
            {
                // Silent until the client gives up on this body: its Range request for the rest
                // comes after it has let this connection go (the hang guard only for a client that never does).
                await resumed.Task.WaitAsync(TimeSpan.FromMinutes(2));
            }
            context.Response.Abort();
            return true;
        };
        // Long enough that no header wait of this pull times out on a loaded machine; the stall outlasts it.
        await using var registry = new Registry(new RegistryOptions { Address = proxy.Address, ReadTimeout = TimeSpan.FromSeconds(10) });

        await using var pulled = await registry.PullImageAsync("drop/app", "v1");

        Assert.Equal(["", $"bytes={Passed}-"], ranges);
        Assert.Contains(proxy.Requests, r => r.Method == "GET" && r.Status == 206 && r.ResponseBytes == layer.Size - Passed);
        await using var check = await pulled.Layers[0].OpenAsync();
        await check.CopyToAsync(Stream.Null);
    }

    /// <summary>
    /// A resumed download answered 206 with a Content-Range that starts before the offset asked
    /// for is realigned by skipping; one that starts after it leaves a gap, so the whole blob is
    /// asked for again. Either way the pull completes with the right bytes, not a digest mismatch.
    /// </summary>
    [Theory]
    [InlineData(500_000)]
    [InlineData(900_000)]
    public async Task A_resumed_download_answered_from_another_byte_is_realigned(int answeredFrom)
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        await using var layer = await TempLayer.CreateLargeAsync(2_000_000, seed: 6);
        await using (var image = Image.Scratch("realign/app", "v1"))
        await using (var writer = new Registry(server.Host))
        {
            image.AddLayer(layer);
            await writer.PushImageAsync(image);
        }
        using (var direct = new HttpClient())
        {
            var blob = await direct.GetByteArrayAsync(server.Url($"/v2/realign/app/blobs/{layer.Digest}"));
            const int Passed = 700_000;
            var ranges = new List<string>();
            proxy.Intercept = async (context, p) =>
            {
                var request = context.Request;
                if (request.HttpMethod != "GET" || !request.Url!.AbsolutePath.EndsWith(layer.Digest.ToString(), StringComparison.Ordinal)) return false;
                int count;
                lock (ranges)
                {
                    ranges.Add(request.Headers["Range"] ?? "");
                    count = ranges.Count;
                }
                if (count == 1)
                {
                    context.Response.StatusCode = 200;
                    context.Response.ContentLength64 = blob.Length;
                    await context.Response.OutputStream.WriteAsync(blob.AsMemory(0, Passed));
                    await context.Response.OutputStream.FlushAsync();
                    context.Response.Abort();
                    return true;
                }
                if (count > 2) return false;
                await LoopbackProxy.RespondAsync(context, 206, new Dictionary<string, string> { ["Content-Range"] = $"bytes {answeredFrom}-{blob.Length - 1}/{blob.Length}" }, blob[answeredFrom..]);
                return true;
            };
            await using var registry = new Registry(new RegistryOptions { Address = proxy.Address, MaxRetries = 0 });

            await using var pulled = await registry.PullImageAsync("realign/app", "v1");

            Assert.Equal(answeredFrom < Passed ? ["", $"bytes={Passed}-"] : ["", $"bytes={Passed}-", ""], ranges);
        }
    }

    [Fact]
    public async Task Retries_honour_Retry_After_and_stop_on_a_lasting_4xx()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        var faults = new Queue<int>([503, 429]);
        var retryAfter = TimeSpan.FromSeconds(1);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var arrivals = new List<TimeSpan>();
        proxy.Intercept = async (context, p) =>
        {
            if (!context.Request.Url!.AbsolutePath.EndsWith("/tags/list", StringComparison.Ordinal)) return false;
            int status;
            lock (faults)
            {
                arrivals.Add(clock.Elapsed);
                if (faults.Count == 0) return false;
                status = faults.Dequeue();
            }
            p.Record(context.Request, status, 0);
            await LoopbackProxy.RespondAsync(context, status, new Dictionary<string, string> { ["Retry-After"] = "1" });
            return true;
        };
        // RetryDelay alone would retry after about 10 ms.
        await using var registry = new Registry(new RegistryOptions { Address = proxy.Address, RetryDelay = TimeSpan.FromMilliseconds(10) });
        await using var image = await RegistryRoundTripTests.SmallImageAsync("retry/app");
        await registry.PushImageAsync(image);

        Assert.Equal(["v1"], await registry.ListTagsAsync("retry/app"));
        Assert.Equal([503, 429, 200], proxy.Requests.Where(r => r.PathAndQuery.Contains("/tags/list", StringComparison.Ordinal)).Select(r => r.Status));
        List<TimeSpan> at;
        lock (faults) at = [.. arrivals];
        Assert.Equal(3, at.Count);
        // Each retry came at least (about) the Retry-After after the answer that asked for it; 0.9 for the timers' resolution.
        Assert.All(at.Zip(at.Skip(1), (a, b) => b - a), gap => Assert.True(gap >= retryAfter * 0.9, $"a retry came {gap.TotalMilliseconds:0} ms after a Retry-After: 1"));

        var before = proxy.Requests.Count;
        var error = await Assert.ThrowsAsync<RegistryException>(() => registry.GetManifestAsync("retry/app", "missing"));
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal(before + 1, proxy.Requests.Count);
    }

    /// <summary>501 and 505 say the server never does this (the method, the HTTP version): asked once, not five times.</summary>
    [Theory]
    [InlineData(HttpStatusCode.NotImplemented)]
    [InlineData(HttpStatusCode.HttpVersionNotSupported)]
    public async Task A_5xx_that_says_it_never_will_is_not_retried(HttpStatusCode status)
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        proxy.Intercept = async (context, p) =>
        {
            if (!context.Request.Url!.AbsolutePath.EndsWith("/tags/list", StringComparison.Ordinal)) return false;
            p.Record(context.Request, (int)status, 0);
            await LoopbackProxy.RespondAsync(context, (int)status, new Dictionary<string, string>());
            return true;
        };
        await using var registry = new Registry(new RegistryOptions { Address = proxy.Address, MaxRetries = 4, RetryDelay = TimeSpan.FromMilliseconds(10) });

        var error = await Assert.ThrowsAsync<RegistryException>(() => registry.ListTagsAsync("never/app"));

        Assert.Equal(status, error.StatusCode);
        Assert.Single(proxy.Requests, r => r.PathAndQuery.Contains("/tags/list", StringComparison.Ordinal));
    }

    /// <summary>
    /// A registry that answers a committed upload with another digest than the one sent stored
    /// other bytes or another name: the push fails there, before a manifest names a blob the
    /// registry does not have. Both upload shapes: a small blob whole in the PUT, a large one
    /// PATCHed then completed by the PUT.
    /// </summary>
    [Theory]
    [InlineData(100, "upload blob")]
    [InlineData(3 << 20, "complete upload")]
    public async Task A_committed_upload_answered_with_another_digest_fails_the_push(int layerBytes, string operation)
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        await using var image = Image.Scratch("stored/app", "v1");
        image.AddLayer(await TempLayer.CreateAsync(new Dictionary<string, byte[]> { ["/data"] = System.Security.Cryptography.RandomNumberGenerator.GetBytes(layerBytes) }));
        var layer = image.Layers[0].Digest.ToString();
        var other = Digest.Compute("not the bytes sent"u8.ToArray());
        proxy.Intercept = async (context, p) =>
        {
            var request = context.Request;
            if (request.HttpMethod != "PUT" || request.QueryString["digest"] != layer) return false;
            using var upstream = await p.ForwardAsync(request, request.Url!.PathAndQuery, "PUT");
            var headers = upstream.Headers.Where(h => h.Key != "Docker-Content-Digest").ToDictionary(h => h.Key, h => string.Join(",", h.Value));
            headers["Docker-Content-Digest"] = other.ToString();
            p.Record(request, (int)upstream.StatusCode, 0);
            await LoopbackProxy.RespondAsync(context, (int)upstream.StatusCode, headers);
            return true;
        };
        await using var registry = new Registry(new RegistryOptions { Address = proxy.Address, MaxRetries = 0 });

        var error = await Assert.ThrowsAsync<RegistryException>(() => registry.PushImageAsync(image));

        Assert.StartsWith(operation, error.Message, StringComparison.Ordinal);
        Assert.Contains($"{layer}: the registry answered that it stored {other}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(proxy.Requests, r => r.Method == "PUT" && r.PathAndQuery.Contains("/manifests/", StringComparison.Ordinal));
    }
}
