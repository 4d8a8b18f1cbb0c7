using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Dockerless.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Dockerless.IntegrationTests.Reliability;

/// <summary>
/// A real registry (Basic auth) behind a proxy that turns its answers hostile: oversized,
/// endless, mislabelled or mis-digested manifests, blobs longer than their descriptor or
/// endless, redirect loops, a redirect to another origin, a token endpoint that answers garbage.
/// Each must end in a DockerlessException (or, where harmless, a correct image), promptly, with
/// bounded reading; the other origin must never see the Authorization header.
/// </summary>
public sealed class HostileRegistryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string User = "hostile";
    private const string Password = "s3cret-hostile-pw";

    private RegistryProcess _server = null!;
    private LoopbackProxy _proxy = null!;
    private Image _image = null!;
    private Digest _manifest;

    public async Task InitializeAsync()
    {
        _server = await RegistryProcess.StartAsync(new RegistryProcessOptions { HtpasswdUsers = new Dictionary<string, string> { [User] = Password } });
        try
        {
            _proxy = LoopbackProxy.Start($"http://{_server.Host}");
            _image = await FaultedTransferTests.MultiLayerImageAsync();
            _image.Name = "hostile/app";
            await using var direct = new Registry(_server.Host, User, Password);
            _manifest = await direct.PushImageAsync(_image);
        }
        catch
        {
            // xunit does not call DisposeAsync when InitializeAsync throws: stop what was started.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_image is not null) await _image.DisposeAsync();
            // Rethrows what an intercept threw: the registry must stop all the same.
            if (_proxy is not null) await _proxy.DisposeAsync();
        }
        finally
        {
            if (_server is not null) await _server.DisposeAsync();
        }
    }

    private Registry Client() => new(new RegistryOptions
    {
        Address = _proxy.Address,
        Credential = RegistryCredential.FromPassword(User, Password),
        MaxRetries = 1,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        ReadTimeout = TimeSpan.FromSeconds(10),
    });

    private static bool IsManifestGet(HttpListenerRequest r) => r.HttpMethod == "GET" && r.Url!.AbsolutePath.Contains("/manifests/", StringComparison.Ordinal);

    private bool IsLayerGet(HttpListenerRequest r) => r.HttpMethod == "GET" && r.Url!.AbsolutePath.EndsWith(_image.Layers[0].Digest.ToString(), StringComparison.Ordinal);

    /// <summary>Pulls through the proxy; the exception it ends with, or null when the image came back correct.</summary>
    private async Task<Exception?> PullAsync()
    {
        await using var registry = Client();
        try
        {
            await using var pulled = await registry.PullImageAsync("hostile/app", "v1");
            Assert.Equal(_image.Layers.Select(l => l.Digest), pulled.Layers.Select(l => l.Digest));
            return null;
        }
        catch (Exception e)
        {
            output.WriteLine($"{e.GetType().Name}: {e.Message}");
            return e;
        }
    }

    /// <summary>
    /// The proxy announces 5 MiB (by Content-Length, or chunked and sends 4 MiB and a little
    /// more), then sends the rest a byte at a time: a client that read it all would still be
    /// reading when the hang guard fires. It must hang up first, with the error that says why.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_manifest_over_4_MiB_is_refused_without_reading_it_all(bool withLength)
    {
        const long Size = 5L << 20;
        _proxy.Intercept = async (context, _) =>
        {
            if (!IsManifestGet(context.Request)) return false;
            await StreamAsync(context, MediaTypes.OciManifest, Size, announce: withLength, fast: withLength ? 0 : (4L << 20) + (64 << 10));
            return true;
        };

        var error = await PullAsync().WaitAsync(HangGuard);

        var registryError = Assert.IsType<RegistryException>(error);
        Assert.Contains("larger than", registryError.Message, StringComparison.Ordinal);
        var streamed = await StreamedAsync();
        Assert.NotEmpty(streamed);
        Assert.All(streamed, s => Assert.True(s.ClientHungUp && s.Sent < Size, $"{s}: the client should have hung up before the {Size} bytes were all sent"));
    }

    [Fact]
    public async Task An_endless_manifest_is_cut_off_at_the_limit()
    {
        _proxy.Intercept = async (context, _) =>
        {
            if (!IsManifestGet(context.Request)) return false;
            await StreamAsync(context, MediaTypes.OciManifest, Endless, announce: false, fast: Endless);
            return true;
        };

        var error = await PullAsync().WaitAsync(HangGuard);

        Assert.IsType<RegistryException>(error);
        var streamed = await StreamedAsync();
        Assert.NotEmpty(streamed);
        // What the client read, plus what the loopback socket buffers took (tens of MB at most).
        Assert.All(streamed, s => Assert.True(s.ClientHungUp && s.Sent < 64L << 20, $"{s}: the client should have hung up within 64 MiB"));
    }

    [Fact]
    public async Task A_wrong_Content_Type_does_not_override_the_document_and_is_refused_for_a_non_manifest()
    {
        _proxy.Intercept = async (context, proxy) =>
        {
            if (!IsManifestGet(context.Request)) return false;
            using var upstream = await proxy.ForwardAsync(context.Request, context.Request.Url!.PathAndQuery, "GET");
            if (upstream.StatusCode != HttpStatusCode.OK) return await RelayAsIs(context, proxy, upstream);
            var body = await upstream.Content.ReadAsByteArrayAsync();
            await LoopbackProxy.RespondAsync(context, 200, new Dictionary<string, string> { ["Content-Type"] = "text/html" }, body);
            return true;
        };
        Assert.Null(await PullAsync());

        _proxy.Intercept = async (context, _) =>
        {
            if (!IsManifestGet(context.Request)) return false;
            await LoopbackProxy.RespondAsync(context, 200, new Dictionary<string, string> { ["Content-Type"] = "text/html" }, "{\"hello\":\"world\"}"u8.ToArray());
            return true;
        };
        Assert.IsType<InvalidImageFormatException>(await PullAsync());
    }

    /// <summary>
    /// A manifest sent with a Content-Encoding nobody asked for (as servers in front of registries
    /// do, since Go's clients ask for gzip): decoded, and verified as the manifest it is, where its
    /// encoded bytes were hashed and failed as a digest mismatch. One that does not decode as it
    /// says is a registry error saying so.
    /// </summary>
    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    [InlineData("gzip, not encoded")]
    public async Task A_manifest_sent_with_a_Content_Encoding_is_decoded_before_it_is_verified(string coding)
    {
        _proxy.Intercept = async (context, proxy) =>
        {
            if (!IsManifestGet(context.Request)) return false;
            using var upstream = await proxy.ForwardAsync(context.Request, context.Request.Url!.PathAndQuery, "GET");
            if (upstream.StatusCode != HttpStatusCode.OK) return await RelayAsIs(context, proxy, upstream);
            var body = await upstream.Content.ReadAsByteArrayAsync();
            var encoded = new MemoryStream();
            await using (Stream encoder = coding switch
            {
                "gzip" => new System.IO.Compression.GZipStream(encoded, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true),
                "deflate" => new System.IO.Compression.ZLibStream(encoded, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true),
                "br" => new System.IO.Compression.BrotliStream(encoded, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true),
                _ => new MemoryStream(),
            })
            {
                await encoder.WriteAsync(body);
            }
            await LoopbackProxy.RespondAsync(context, 200, new Dictionary<string, string>
            {
                ["Content-Type"] = upstream.Content.Headers.ContentType!.ToString(),
                ["Content-Encoding"] = coding.Split(',')[0],
                ["Docker-Content-Digest"] = upstream.Headers.GetValues("Docker-Content-Digest").First(),
            }, encoded.Length > 0 ? encoded.ToArray() : body);
            return true;
        };

        var error = await PullAsync();

        if (coding.Contains(',', StringComparison.Ordinal))
        {
            Assert.IsType<RegistryException>(error);
            Assert.Contains("does not decode as its Content-Encoding gzip says", error.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Null(error);
        }
    }

    [Fact]
    public async Task A_Docker_Content_Digest_that_does_not_match_the_body_is_a_digest_mismatch()
    {
        var wrong = Digest.Compute("not the manifest"u8);
        _proxy.Intercept = async (context, proxy) =>
        {
            if (!IsManifestGet(context.Request)) return false;
            using var upstream = await proxy.ForwardAsync(context.Request, context.Request.Url!.PathAndQuery, "GET");
            if (upstream.StatusCode != HttpStatusCode.OK) return await RelayAsIs(context, proxy, upstream);
            var body = await upstream.Content.ReadAsByteArrayAsync();
            await LoopbackProxy.RespondAsync(context, 200, new Dictionary<string, string>
            {
                ["Content-Type"] = upstream.Content.Headers.ContentType!.ToString(),
                ["Docker-Content-Digest"] = wrong.ToString(),
            }, body);
            return true;
        };

        var error = Assert.IsType<DigestMismatchException>(await PullAsync());

        Assert.Equal(wrong, error.Expected);
        Assert.Equal(_manifest, error.Actual);
    }

    /// <summary>
    /// A manifest that says a layer is 10 bytes longer than the blob the registry holds: the body
    /// ends early, the resume asks for bytes past the blob's end, and the registry's 416 means the
    /// blob is short, which is what the error says.
    /// </summary>
    [Fact]
    public async Task A_blob_shorter_than_its_descriptor_is_a_size_mismatch_not_an_HTTP_416()
    {
        await using var direct = new Registry(_server.Host, User, Password);
        var manifest = System.Text.Json.Nodes.JsonNode.Parse((await direct.GetManifestAsync("hostile/app", "v1")).Bytes.Span)!;
        var layer = manifest["layers"]![0]!;
        var size = layer["size"]!.GetValue<long>();
        layer["size"] = size + 10;
        var bytes = System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString());
        await direct.Api.PutManifestAsync("hostile/app", "longer", bytes, manifest["mediaType"]!.GetValue<string>(), CancellationToken.None);

        var error = await Assert.ThrowsAsync<DigestMismatchException>(async () => await (await direct.PullImageAsync("hostile/app", "longer")).DisposeAsync());

        Assert.Equal(size + 10, error.ExpectedSize);
        Assert.Equal(size, error.ActualSize);
        Assert.Contains("size mismatch", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_blob_longer_than_its_descriptor_or_endless_is_a_size_mismatch(bool endless)
    {
        _proxy.Intercept = async (context, proxy) =>
        {
            if (!IsLayerGet(context.Request)) return false;
            if (endless)
            {
                await StreamAsync(context, "application/octet-stream", Endless, announce: false, fast: Endless);
                return true;
            }
            using var upstream = await proxy.ForwardAsync(context.Request, context.Request.Url!.PathAndQuery, "GET");
            if (upstream.StatusCode != HttpStatusCode.OK) return await RelayAsIs(context, proxy, upstream);
            var body = (await upstream.Content.ReadAsByteArrayAsync()).Concat(new byte[4096]).ToArray();
            await LoopbackProxy.RespondAsync(context, 200, new Dictionary<string, string>(), body);
            return true;
        };

        var error = Assert.IsType<DigestMismatchException>(await PullAsync().WaitAsync(HangGuard));

        Assert.Equal(_image.Layers[0].Size, error.ExpectedSize);
        if (endless)
        {
            var streamed = await StreamedAsync();
            Assert.NotEmpty(streamed);
            Assert.All(streamed, s => Assert.True(s.ClientHungUp && s.Sent < 64L << 20, $"{s}: the client should have hung up within 64 MiB"));
        }
    }

    /// <summary>
    /// A redirect the client will not follow (a loop past 10 hops, a target on ftp:) ends in a
    /// registry error with the redirect's status, asked once: asking again gets
    /// the same answer, where the retry and the download's resumes asked up to 64 times.
    /// </summary>
    [Theory]
    [InlineData("loop", 11, "more than 10 redirects")]
    [InlineData("ftp://127.0.0.1/blob", 1, "leads to a ftp: URI, not http or https")]
    public async Task A_redirect_that_cannot_be_followed_ends_in_a_registry_error_without_retries(string location, int requests, string says)
    {
        var redirects = 0;
        _proxy.Intercept = async (context, _) =>
        {
            if (!IsLayerGet(context.Request)) return false;
            Interlocked.Increment(ref redirects);
            await LoopbackProxy.RespondAsync(context, 307, new Dictionary<string, string> { ["Location"] = location == "loop" ? context.Request.Url!.PathAndQuery : location });
            return true;
        };

        var error = Assert.IsType<RegistryException>(await PullAsync());

        Assert.Equal(HttpStatusCode.TemporaryRedirect, error.StatusCode);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
        Assert.Equal(requests, redirects);
    }

    /// <summary>Passes an error answer (the first, unauthenticated try) through unchanged.</summary>
    private static async Task<bool> RelayAsIs(HttpListenerContext context, LoopbackProxy proxy, HttpResponseMessage upstream)
    {
        await proxy.RelayAsync(context, upstream);
        return true;
    }

    [Fact]
    public async Task A_redirect_to_another_origin_on_the_same_host_never_carries_the_Authorization_header()
    {
        var blob = await ReadAllAsync(await _image.Layers[0].OpenAsync());
        var seen = new List<string?>();
        await using var storage = LoopbackProxy.Start("http://127.0.0.1:9");
        storage.Intercept = async (context, _) =>
        {
            lock (seen) seen.Add(context.Request.Headers["Authorization"]);
            await LoopbackProxy.RespondAsync(context, 200, new Dictionary<string, string>(), blob);
            return true;
        };
        var authorizedAtRegistry = false;
        _proxy.Intercept = async (context, _) =>
        {
            if (!IsLayerGet(context.Request)) return false;
            authorizedAtRegistry |= context.Request.Headers["Authorization"] is not null;
            await LoopbackProxy.RespondAsync(context, 307, new Dictionary<string, string> { ["Location"] = $"{storage.Address}/bucket/blob?sig=abc" });
            return true;
        };

        Assert.Null(await PullAsync());

        Assert.True(authorizedAtRegistry, "the client sent no credentials to the registry, so the test proves nothing");
        Assert.NotEmpty(seen);
        Assert.All(seen, Assert.Null);
    }

    /// <summary>
    /// The blob store a redirect leads to refuses the signed URL (S3's 403 AccessDenied, "Request
    /// has expired"): the error says the store answered, where, without the URL's signature, and
    /// implies no registry code (DENIED would say the registry refused the credential).
    /// </summary>
    [Fact]
    public async Task A_refusal_from_where_a_redirect_led_names_that_origin_not_the_registry()
    {
        var authorized = 0;
        await using var storage = LoopbackProxy.Start("http://127.0.0.1:9");
        storage.Intercept = async (context, _) =>
        {
            if (context.Request.Headers["Authorization"] is not null) Interlocked.Increment(ref authorized);
            await LoopbackProxy.RespondAsync(context, 403, new Dictionary<string, string> { ["Content-Type"] = "application/xml" },
                "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"u8.ToArray());
            return true;
        };
        _proxy.Intercept = async (context, _) =>
        {
            if (!IsLayerGet(context.Request)) return false;
            await LoopbackProxy.RespondAsync(context, 307, new Dictionary<string, string> { ["Location"] = $"{storage.Address}/bucket/blob?X-Amz-Signature=s3cr3tsig" });
            return true;
        };

        var error = Assert.IsType<RegistryException>(await PullAsync());

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Null(error.Code);
        Assert.Contains($"answered by {storage.Address}/bucket/blob?X-Amz-Signature=***, where the registry redirected", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3tsig", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, authorized);
    }

    /// <summary>
    /// The blob store a redirect leads to answers 401 with a Bearer challenge of its own. That is
    /// the store's answer, not the registry's challenge: its realm must never get the registry's
    /// password, and the client must go on authenticating to the registry as before.
    /// </summary>
    [Fact]
    public async Task A_401_challenge_from_where_a_redirect_led_never_gets_the_credential()
    {
        var seen = new List<string>();
        await using var storage = LoopbackProxy.Start("http://127.0.0.1:9");
        storage.Intercept = async (context, _) =>
        {
            lock (seen) seen.Add($"{context.Request.Url!.AbsolutePath} {context.Request.Headers["Authorization"]}");
            if (context.Request.Url!.AbsolutePath == "/token")
            {
                await LoopbackProxy.RespondAsync(context, 200, new Dictionary<string, string> { ["Content-Type"] = "application/json" }, "{\"token\":\"store-token\"}"u8.ToArray());
                return true;
            }
            await LoopbackProxy.RespondAsync(context, 401, new Dictionary<string, string> { ["WWW-Authenticate"] = $"Bearer realm=\"{storage.Address}/token\",service=\"store\"" });
            return true;
        };
        _proxy.Intercept = async (context, _) =>
        {
            if (!IsLayerGet(context.Request)) return false;
            await LoopbackProxy.RespondAsync(context, 307, new Dictionary<string, string> { ["Location"] = $"{storage.Address}/bucket/blob?sig=abc" });
            return true;
        };
        await using var registry = Client();

        var error = await Assert.ThrowsAsync<RegistryException>(async () => await (await registry.PullImageAsync("hostile/app", "v1")).DisposeAsync());

        output.WriteLine(error.Message);
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        lock (seen) Assert.All(seen, s => Assert.Equal("/bucket/blob ", s));
        // The registry's own Basic challenge still holds.
        _proxy.Intercept = null;
        Assert.Equal(_manifest, await registry.GetDigestAsync("hostile/app", "v1"));
    }

    [Theory]
    [InlineData("<html><body>502 Bad Gateway</body></html>")]
    [InlineData("{\"token\": 42}")]
    [InlineData("{\"token\": \"\"}")]
    [InlineData("")]
    [InlineData("{\"token\": \"not-a-jwt\", \"expires_in\": -5}")]
    public async Task A_token_endpoint_answering_garbage_ends_in_a_registry_error(string garbage)
    {
        await using var tokens = LoopbackProxy.Start("http://127.0.0.1:9");
        tokens.Intercept = async (context, _) =>
        {
            await LoopbackProxy.RespondAsync(context, 200, new Dictionary<string, string> { ["Content-Type"] = "application/json" }, Encoding.UTF8.GetBytes(garbage));
            return true;
        };
        _proxy.Intercept = async (context, _) =>
        {
            await ChallengeAsync(context, tokens);
            return true;
        };

        var error = await PullAsync();

        Assert.IsAssignableFrom<DockerlessException>(error);
        Assert.DoesNotContain(Password, error!.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A token answer, a tag list page or a catalog page that never ends, inside one JSON string
    /// (which a JSON reader must hold whole): refused at its limit (1 MiB for a token, 64 MiB for a
    /// page), the client hanging up, where it read on until it ran out of memory.
    /// </summary>
    [Theory]
    [InlineData("token")]
    [InlineData("tags")]
    [InlineData("catalog")]
    public async Task An_endless_token_answer_or_list_page_is_cut_off_at_its_limit(string answer)
    {
        await using var tokens = LoopbackProxy.Start("http://127.0.0.1:9");
        tokens.Intercept = async (context, _) =>
        {
            await StreamAsync(context, "application/json", Endless, announce: false, fast: Endless, "{\"token\":\"");
            return true;
        };
        _proxy.Intercept = async (context, _) =>
        {
            var path = context.Request.Url!.AbsolutePath;
            if (answer == "token")
            {
                await ChallengeAsync(context, tokens);
                return true;
            }
            if (!path.EndsWith("/tags/list", StringComparison.Ordinal) && path != "/v2/_catalog") return false;
            await StreamAsync(context, "application/json", Endless, announce: false, fast: Endless, answer == "tags" ? "{\"name\":\"hostile/app\",\"tags\":[\"" : "{\"repositories\":[\"");
            return true;
        };
        await using var registry = Client();

        var error = await Assert.ThrowsAsync<RegistryException>(() => answer == "catalog" ? registry.ListRepositoriesAsync() : registry.ListTagsAsync("hostile/app")).WaitAsync(HangGuard);

        output.WriteLine(error.Message);
        Assert.Contains("larger than", error.Message, StringComparison.Ordinal);
        var streamed = await StreamedAsync();
        Assert.NotEmpty(streamed);
        // What the client read, plus what the loopback socket buffers took (tens of MB at most).
        Assert.All(streamed, s => Assert.True(s.ClientHungUp && s.Sent < 128L << 20, $"{s}: the client should have hung up within 128 MiB"));
    }

    /// <summary>
    /// A token answer or a tag list page labelled gzip that is not: a registry error of the
    /// operation saying the answer could not be read and why, where a bare IOException named
    /// neither the operation nor the repository.
    /// </summary>
    [Theory]
    [InlineData("token", "get token", "the token endpoint's answer could not be read")]
    [InlineData("tags", "list tags", "a page of the answer could not be read")]
    public async Task A_token_answer_or_list_page_that_does_not_decode_names_its_operation(string answer, string operation, string says)
    {
        var plain = new Dictionary<string, string> { ["Content-Type"] = "application/json", ["Content-Encoding"] = "gzip" };
        await using var tokens = LoopbackProxy.Start("http://127.0.0.1:9");
        tokens.Intercept = async (context, _) =>
        {
            await LoopbackProxy.RespondAsync(context, 200, plain, "{\"token\":\"t\"}"u8.ToArray());
            return true;
        };
        _proxy.Intercept = async (context, _) =>
        {
            if (answer == "token")
            {
                await ChallengeAsync(context, tokens);
                return true;
            }
            if (!context.Request.Url!.AbsolutePath.EndsWith("/tags/list", StringComparison.Ordinal)) return false;
            await LoopbackProxy.RespondAsync(context, 200, plain, "{\"name\":\"hostile/app\",\"tags\":[\"v1\"]}"u8.ToArray());
            return true;
        };
        await using var registry = Client();

        var error = await Assert.ThrowsAsync<RegistryException>(() => registry.ListTagsAsync("hostile/app")).WaitAsync(HangGuard);

        Assert.StartsWith(operation, error.Message, StringComparison.Ordinal);
        Assert.Contains($"{says}: the body does not decode as its Content-Encoding gzip says", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Answers 401 with a Bearer challenge whose realm is <paramref name="tokens"/>' /token, in place of the registry's own.</summary>
    private static Task ChallengeAsync(HttpListenerContext context, LoopbackProxy tokens)
        => LoopbackProxy.RespondAsync(context, 401, new Dictionary<string, string>
        {
            ["WWW-Authenticate"] = $"Bearer realm=\"{tokens.Address}/token\",service=\"hostile\",scope=\"repository:hostile/app:pull\"",
        });

    /// <summary>Where an endless body stops if the client never hangs up (the test then fails).</summary>
    private const long Endless = 1L << 30;

    /// <summary>The longest a pull, or a response handler after it, may take before the test counts it as hung.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    private readonly ConcurrentQueue<Streamed> _streamed = new();

    /// <summary>One response <see cref="StreamAsync"/> sent: the bytes written so far, and whether it ended with the client hanging up.</summary>
    private sealed class Streamed
    {
        private long _sent;

        public long Sent => Interlocked.Read(ref _sent);

        public bool ClientHungUp { get; set; }

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Add(long bytes) => Interlocked.Add(ref _sent, bytes);

        public override string ToString() => $"{Sent} bytes sent, {(ClientHungUp ? "then the client hung up" : "the body complete")}";
    }

    /// <summary>Every response <see cref="StreamAsync"/> sent, once each has ended.</summary>
    private async Task<IReadOnlyList<Streamed>> StreamedAsync()
    {
        // Each was queued before its first byte went out, so before the client could finish with it.
        var all = _streamed.ToArray();
        await Task.WhenAll(all.Select(s => s.Done.Task)).WaitAsync(HangGuard);
        foreach (var s in all) output.WriteLine($"streamed: {s}");
        return all;
    }

    /// <summary>
    /// Answers 200 with <paramref name="size"/> bytes (a JSON prefix, by default a manifest's, then spaces),
    /// announced by Content-Length or chunked: the first <paramref name="fast"/> as fast as the
    /// client takes them, the rest a byte every 50 ms, until the body is done or the client hangs up.
    /// </summary>
    private async Task StreamAsync(HttpListenerContext context, string contentType, long size, bool announce, long fast, string prefixText = "{\"schemaVersion\":2,")
    {
        var streamed = new Streamed();
        _streamed.Enqueue(streamed);
        var response = context.Response;
        try
        {
            response.StatusCode = 200;
            response.ContentType = contentType;
            if (announce) response.ContentLength64 = size;
            else response.SendChunked = true;
            var chunk = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
            var prefix = Encoding.UTF8.GetBytes(prefixText);
            await response.OutputStream.WriteAsync(prefix);
            streamed.Add(prefix.Length);
            for (var sent = (long)prefix.Length; sent < size;)
            {
                var n = (int)(sent < fast ? Math.Min(chunk.Length, Math.Min(fast, size) - sent) : 1);
                await response.OutputStream.WriteAsync(chunk.AsMemory(0, n));
                streamed.Add(n);
                sent += n;
                if (sent >= fast)
                {
                    await response.OutputStream.FlushAsync();
                    await Task.Delay(50);
                }
            }
            response.Close();
        }
        catch (Exception e) when (LoopbackProxy.IsConnectionFailure(e))
        {
            // The client hung up: that is the point.
            streamed.ClientHungUp = true;
        }
        finally
        {
            streamed.Done.TrySetResult();
        }
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        await using (stream)
        {
            var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
    }
}
