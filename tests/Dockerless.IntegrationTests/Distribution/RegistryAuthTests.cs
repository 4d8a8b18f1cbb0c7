using System.Net;
using System.Text;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Distribution;

/// <summary>Basic, bearer-token and TLS flows against the real registry, and credentials read through the stores.</summary>
public sealed class RegistryAuthTests
{
    private static readonly Dictionary<string, string> Users = new() { ["alice"] = "s3cret-pass" };

    private static RegistryOptions Options(string address, RegistryCredential? credential = null) => new()
    {
        Address = address,
        Credential = credential,
        CredentialStore = EmptyStore(),
        MaxRetries = 0,
    };

    /// <summary>A store that knows nothing, so the machine's own docker config never leaks into a test.</summary>
    private static DockerCredentialStore EmptyStore(string? dockerConfigDirectory = null, IReadOnlyList<string>? podmanFiles = null, string? path = null)
        => new(new CredentialStoreOptions
        {
            DockerConfigDirectory = dockerConfigDirectory ?? Path.Combine(Path.GetTempPath(), "dockerless-no-such-dir"),
            PodmanAuthFiles = podmanFiles ?? [],
            Environment = name => name == "PATH" ? path : null,
            IsRoot = false,
        });

    [Fact]
    public async Task Htpasswd_basic_auth_with_the_right_password_pushes_and_pulls()
    {
        await using var server = await RegistryProcess.StartAsync(new RegistryProcessOptions { HtpasswdUsers = Users });
        await using var registry = new Registry(Options($"http://{server.Host}", RegistryCredential.FromPassword("alice", "s3cret-pass")));
        await using var image = await RegistryRoundTripTests.SmallImageAsync("basic/app");

        var digest = await registry.PushImageAsync(image);

        await using var pulled = await registry.PullImageAsync("basic/app", "v1");
        Assert.Equal(digest, await registry.GetDigestAsync("basic/app", "v1"));
    }

    [Fact]
    public async Task Htpasswd_basic_auth_with_a_wrong_password_is_unauthorized_and_names_no_secret()
    {
        await using var server = await RegistryProcess.StartAsync(new RegistryProcessOptions { HtpasswdUsers = Users });
        await using var registry = new Registry(Options($"http://{server.Host}", RegistryCredential.FromPassword("alice", "wrong-pass")));

        var error = await Assert.ThrowsAsync<RegistryException>(() => registry.ListTagsAsync("basic/app"));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal("UNAUTHORIZED", error.Code);
        Assert.DoesNotContain("wrong-pass", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String("alice:wrong-pass"u8), error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bearer_tokens_from_the_token_endpoint_are_cached_per_scope()
    {
        await using var tokens = TokenServer.Start("bob", "tok-pass");
        await using var server = await RegistryProcess.StartAsync(new RegistryProcessOptions { AuthYaml = tokens.RegistryAuthYaml });
        await using var registry = new Registry(Options($"http://{server.Host}", RegistryCredential.FromPassword("bob", "tok-pass")));
        await using var image = await RegistryRoundTripTests.SmallImageAsync("bearer/app");

        await registry.PushImageAsync(image);
        var afterPush = tokens.TokensIssued;
        await using var pulled = await registry.PullImageAsync("bearer/app", "v1");
        await registry.ListTagsAsync("bearer/app");

        Assert.InRange(afterPush, 1, 3);
        Assert.Equal(afterPush, tokens.TokensIssued); // the pull reuses the pull-scope token the push fetched for its HEADs
        Assert.Contains(tokens.Requests, r => r.Account == "bob" && r.Scopes.Contains("repository:bearer/app:pull,push"));
    }

    [Fact]
    public async Task Each_request_is_logged_without_any_secret()
    {
        await using var tokens = TokenServer.Start("bob", "tok-pass");
        await using var server = await RegistryProcess.StartAsync(new RegistryProcessOptions { AuthYaml = tokens.RegistryAuthYaml });
        var logger = new CapturingLogger();
        await using var registry = new Registry(Options($"http://{server.Host}", RegistryCredential.FromPassword("bob", "tok-pass")) with { Logger = logger });
        await using var image = await RegistryRoundTripTests.SmallImageAsync("logged/app");

        await registry.PushImageAsync(image);

        Assert.Contains(logger.Lines, l => l.StartsWith($"PUT http://{server.Host}/v2/logged/app/manifests/v1 -> 201 in ", StringComparison.Ordinal));
        Assert.Contains(logger.Lines, l => l.StartsWith("GET http://127.0.0.1:", StringComparison.Ordinal) && l.Contains("/token?service=", StringComparison.Ordinal));
        Assert.All(logger.Lines, l => Assert.DoesNotContain("tok-pass", l, StringComparison.Ordinal));
        Assert.All(logger.Lines, l => Assert.DoesNotContain("_state=", l.Replace("_state=***", "", StringComparison.Ordinal), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Anonymous_bearer_tokens_pull_a_public_repository()
    {
        await using var tokens = TokenServer.Start("bob", "tok-pass");
        await using var server = await RegistryProcess.StartAsync(new RegistryProcessOptions { AuthYaml = tokens.RegistryAuthYaml });
        await using (var writer = new Registry(Options($"http://{server.Host}", RegistryCredential.FromPassword("bob", "tok-pass"))))
        await using (var image = await RegistryRoundTripTests.SmallImageAsync("public/app"))
        {
            await writer.PushImageAsync(image);
        }
        await using var anonymous = new Registry(Options($"http://{server.Host}"));

        await using var pulled = await anonymous.PullImageAsync("public/app", "v1");

        Assert.Equal(2, pulled.Layers.Count);
        Assert.Contains(tokens.Requests, r => r.Account is null && r.Status == 200);
    }

    [Fact]
    public async Task A_wrong_password_at_the_token_endpoint_is_unauthorized()
    {
        await using var tokens = TokenServer.Start("bob", "tok-pass");
        await using var server = await RegistryProcess.StartAsync(new RegistryProcessOptions { AuthYaml = tokens.RegistryAuthYaml });
        await using var registry = new Registry(Options($"http://{server.Host}", RegistryCredential.FromPassword("bob", "nope")));

        var error = await Assert.ThrowsAsync<RegistryException>(() => registry.ListTagsAsync("bearer/app"));

        Assert.Equal("UNAUTHORIZED", error.Code);
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.DoesNotContain("nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_endpoint_answering_503_is_tried_again_after_its_Retry_After()
    {
        await using var tokens = TokenServer.Start("bob", "tok-pass");
        await using var server = await RegistryProcess.StartAsync(new RegistryProcessOptions { AuthYaml = tokens.RegistryAuthYaml });
        await using var registry = new Registry(Options($"http://{server.Host}", RegistryCredential.FromPassword("bob", "tok-pass")) with { MaxRetries = 2 });
        await using var image = await RegistryRoundTripTests.SmallImageAsync("bearer/app");
        tokens.UnavailableAnswers = 1;

        await registry.PushImageAsync(image);

        var asked = tokens.Requests;
        Assert.Equal([503, 200], asked.Select(r => r.Status).Take(2));
        Assert.True(asked[1].At - asked[0].At >= TimeSpan.FromSeconds(0.9), $"asked again {(asked[1].At - asked[0].At).TotalMilliseconds} ms after a Retry-After of 1 s");
    }

    [Fact]
    public async Task A_token_endpoint_still_unavailable_fails_with_its_status_not_as_a_refusal()
    {
        await using var tokens = TokenServer.Start("bob", "tok-pass");
        await using var server = await RegistryProcess.StartAsync(new RegistryProcessOptions { AuthYaml = tokens.RegistryAuthYaml });
        await using var registry = new Registry(Options($"http://{server.Host}", RegistryCredential.FromPassword("bob", "tok-pass")));
        tokens.UnavailableAnswers = 1;

        var error = await Assert.ThrowsAsync<RegistryException>(() => registry.ListTagsAsync("bearer/app"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Null(error.Code);
        Assert.Contains("answered 503 ServiceUnavailable", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_go_only_to_the_registry_not_to_an_upload_Location_on_another_host()
    {
        await using var server = await RegistryProcess.StartAsync(new RegistryProcessOptions { HtpasswdUsers = Users });
        await using var elsewhere = LoopbackProxy.Start($"http://{server.Host}");
        var authorizedElsewhere = 0;
        elsewhere.Intercept = (context, _) =>
        {
            if (context.Request.Headers["Authorization"] is not null) Interlocked.Increment(ref authorizedElsewhere);
            return Task.FromResult(false);
        };
        await using var front = LoopbackProxy.Start($"http://{server.Host}");
        front.Intercept = async (context, p) =>
        {
            var request = context.Request;
            if (request.HttpMethod != "POST" || !request.Url!.AbsolutePath.EndsWith("/blobs/uploads/", StringComparison.Ordinal)) return false;
            // The registry's upload session, placed on another origin (as a misconfigured proxy would).
            using var upstream = await p.ForwardAsync(request, request.Url.PathAndQuery, "POST");
            if (upstream.Headers.Location is { } location)
            {
                upstream.Headers.Location = new Uri(new Uri(elsewhere.Address), new Uri(new Uri($"http://{server.Host}"), location).PathAndQuery);
            }
            await p.RelayAsync(context, upstream);
            return true;
        };
        await using var registry = new Registry(Options(front.Address, RegistryCredential.FromPassword("alice", "s3cret-pass")));
        await using var image = await RegistryRoundTripTests.SmallImageAsync("elsewhere/app");

        var error = await Assert.ThrowsAsync<RegistryException>(() => registry.PushImageAsync(image));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Contains(elsewhere.Requests, r => r.Status == 401);
        Assert.Equal(0, authorizedElsewhere);
    }

    /// <summary>
    /// The registry's challenge names its realm as a path (resolved on the registry, which here
    /// relays it to the token endpoint), or as a URI of another scheme: a RegistryException
    /// saying so, where the transport threw NotSupportedException (on Unix <c>/token</c> was read as <c>file:///token</c>).
    /// </summary>
    [Theory]
    [InlineData("/token", null)]
    [InlineData("ftp://127.0.0.1/token", "names a realm that leads to a ftp: URI, not http or https")]
    [InlineData("file:///etc/passwd", "names a realm that leads to a file: URI, not http or https")]
    public async Task A_Bearer_realm_that_is_a_path_is_on_the_registry_and_one_not_http_is_a_registry_error(string realm, string? refused)
    {
        await using var tokens = TokenServer.Start("bob", "tok-pass");
        await using var server = await RegistryProcess.StartAsync(new RegistryProcessOptions { AuthYaml = tokens.RegistryAuthYaml });
        using var relay = new HttpClient();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        proxy.Intercept = async (context, p) =>
        {
            var request = context.Request;
            if (request.Url!.AbsolutePath == "/token")
            {
                using var asked = new HttpRequestMessage(HttpMethod.Get, tokens.Realm + request.Url.Query);
                asked.Headers.TryAddWithoutValidation("Authorization", request.Headers["Authorization"]);
                using var answer = await relay.SendAsync(asked);
                await p.RelayAsync(context, answer);
                return true;
            }
            using var upstream = await p.ForwardAsync(request, request.Url.PathAndQuery, request.HttpMethod);
            if (upstream.Headers.WwwAuthenticate.FirstOrDefault() is { } challenge)
            {
                upstream.Headers.WwwAuthenticate.Clear();
                upstream.Headers.TryAddWithoutValidation("WWW-Authenticate", challenge.ToString().Replace(tokens.Realm.ToString(), realm, StringComparison.Ordinal));
            }
            await p.RelayAsync(context, upstream);
            return true;
        };
        await using var registry = new Registry(Options(proxy.Address, RegistryCredential.FromPassword("bob", "tok-pass")));
        await using var image = await RegistryRoundTripTests.SmallImageAsync("realm/app");

        if (refused is null)
        {
            await registry.PushImageAsync(image);
            Assert.Equal(["v1"], await registry.ListTagsAsync("realm/app"));
            Assert.Contains(proxy.Requests, r => r.PathAndQuery.StartsWith("/token?", StringComparison.Ordinal) && r.Status == 200);
            return;
        }
        var error = await Assert.ThrowsAsync<RegistryException>(() => registry.PushImageAsync(image));
        Assert.Equal("get token", error.Operation);
        Assert.Contains(refused, error.Message, StringComparison.Ordinal);
        Assert.Empty(tokens.Requests);
    }

    [Fact]
    public async Task A_token_the_registry_rejects_as_expired_is_renewed_once()
    {
        await using var tokens = TokenServer.Start("bob", "tok-pass");
        await using var server = await RegistryProcess.StartAsync(new RegistryProcessOptions { AuthYaml = tokens.RegistryAuthYaml });
        await using var registry = new Registry(Options($"http://{server.Host}", RegistryCredential.FromPassword("bob", "tok-pass")));
        await using (var image = await RegistryRoundTripTests.SmallImageAsync("expiry/app"))
        {
            await registry.PushImageAsync(image);
        }
        tokens.IssueExpiredTokens = true;
        await using var other = new Registry(Options($"http://{server.Host}", RegistryCredential.FromPassword("bob", "tok-pass")));
        // The client caches an expired token it believes fresh (expires_in says minutes).
        await Assert.ThrowsAsync<RegistryException>(() => other.GetDigestAsync("expiry/app", "v1"));
        tokens.IssueExpiredTokens = false;
        var issued = tokens.TokensIssued;

        var digest = await other.GetDigestAsync("expiry/app", "v1");

        Assert.Equal(await registry.GetDigestAsync("expiry/app", "v1"), digest);
        Assert.True(tokens.TokensIssued > issued);
    }

    [Fact]
    public async Task A_token_with_too_narrow_a_scope_fails_the_push_with_a_typed_error()
    {
        await using var tokens = TokenServer.Start("bob", "tok-pass");
        tokens.GrantedActions = ["pull"];
        await using var server = await RegistryProcess.StartAsync(new RegistryProcessOptions { AuthYaml = tokens.RegistryAuthYaml });
        await using var registry = new Registry(Options($"http://{server.Host}", RegistryCredential.FromPassword("bob", "tok-pass")));
        await using var image = await RegistryRoundTripTests.SmallImageAsync("narrow/app");

        var error = await Assert.ThrowsAsync<RegistryException>(() => registry.PushImageAsync(image));

        Assert.True(error.Code is "UNAUTHORIZED" or "DENIED", error.Message);
        Assert.Equal("narrow/app", error.Repository);
    }

    [Fact]
    public async Task An_identity_token_is_exchanged_by_OAuth2_refresh_token_POST()
    {
        await using var tokens = TokenServer.Start("bob", "tok-pass");
        await using var server = await RegistryProcess.StartAsync(new RegistryProcessOptions { AuthYaml = tokens.RegistryAuthYaml });
        using var http = new HttpClient();
        using var login = new HttpRequestMessage(HttpMethod.Get, $"{tokens.Realm}?service={TokenServer.DefaultService}&offline_token=true");
        login.Headers.Authorization = new("Basic", Convert.ToBase64String("bob:tok-pass"u8));
        using var answer = await http.SendAsync(login);
        var refresh = System.Text.Json.JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("refresh_token").GetString();
        await using var registry = new Registry(Options($"http://{server.Host}", new RegistryCredential { IdentityToken = refresh }));
        await using var image = await RegistryRoundTripTests.SmallImageAsync("oauth/app");

        await registry.PushImageAsync(image);

        Assert.Contains(tokens.Requests, r => r.Method == "POST" && r.GrantType == "refresh_token" && r.Status == 200);
    }

    [Fact]
    public async Task Tls_with_a_self_signed_CA_works_when_trusted_and_is_refused_otherwise()
    {
        using var certs = TestCertificates.Create();
        await using var server = await RegistryProcess.StartAsync(new RegistryProcessOptions { Tls = (certs.ServerCertificatePath, certs.ServerKeyPath) });
        await using var image = await RegistryRoundTripTests.SmallImageAsync("tls/app");

        await using (var untrusted = new Registry(Options($"https://{server.Host}")))
        {
            var refused = await Assert.ThrowsAsync<RegistryException>(() => untrusted.PushImageAsync(image));
            Assert.Null(refused.StatusCode);
        }
        await using (var trusted = new Registry(Options($"https://{server.Host}") with { CaBundlePath = certs.CaCertificatePath }))
        {
            await trusted.PushImageAsync(image);
        }
        await using (var skipping = new Registry(Options($"https://{server.Host}") with { SkipTlsVerify = true }))
        {
            Assert.Equal(["v1"], await skipping.ListTagsAsync("tls/app"));
        }
        var certsD = Path.GetDirectoryName(certs.WriteCertsD(server.Host))!;
        await using var viaCertsD = new Registry(Options(server.Host) with { CertificatesDirectory = certsD });
        Assert.Equal(["v1"], await viaCertsD.ListTagsAsync("tls/app"));
    }

    [Fact]
    public async Task Credentials_come_from_docker_config_json()
    {
        await using var server = await RegistryProcess.StartAsync(new RegistryProcessOptions { HtpasswdUsers = Users });
        var dir = Directory.CreateTempSubdirectory("dockerless-cfg-").FullName;
        try
        {
            var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:s3cret-pass"));
            await File.WriteAllTextAsync(Path.Combine(dir, "config.json"), "{\"auths\":{\"" + server.Host + "\":{\"auth\":\"" + auth + "\"}}}");
            await using var registry = new Registry(Options($"http://{server.Host}") with { CredentialStore = EmptyStore(dockerConfigDirectory: dir) });

            Assert.Empty(await registry.ListRepositoriesAsync());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Credentials_come_from_a_docker_credential_helper()
    {
        await using var server = await RegistryProcess.StartAsync(new RegistryProcessOptions { HtpasswdUsers = Users });
        var dir = Directory.CreateTempSubdirectory("dockerless-helper-").FullName;
        try
        {
            var helper = Path.Combine(dir, "docker-credential-dltest");
            await File.WriteAllTextAsync(helper, "#!/bin/sh\nread server\nprintf '{\"ServerURL\":\"%s\",\"Username\":\"alice\",\"Secret\":\"s3cret-pass\"}' \"$server\"\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(helper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            await File.WriteAllTextAsync(Path.Combine(dir, "config.json"), "{\"credHelpers\":{\"" + server.Host + "\":\"dltest\"}}");
            await using var registry = new Registry(Options($"http://{server.Host}") with { CredentialStore = EmptyStore(dockerConfigDirectory: dir, path: dir) });

            Assert.Empty(await registry.ListRepositoriesAsync());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Credentials_come_from_podman_auth_json()
    {
        await using var server = await RegistryProcess.StartAsync(new RegistryProcessOptions { HtpasswdUsers = Users });
        var dir = Directory.CreateTempSubdirectory("dockerless-podman-").FullName;
        try
        {
            var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:s3cret-pass"));
            var file = Path.Combine(dir, "auth.json");
            await File.WriteAllTextAsync(file, "{\"auths\":{\"" + server.Host + "\":{\"auth\":\"" + auth + "\"}}}");
            await using var registry = new Registry(Options($"http://{server.Host}") with { CredentialStore = EmptyStore(podmanFiles: [file]) });

            Assert.Empty(await registry.ListRepositoriesAsync());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
