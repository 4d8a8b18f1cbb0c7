using System.Text;

namespace Dockerless.Tests.Auth;

public sealed class DockerCredentialStoreTests : IDisposable
{
    private readonly CredentialTestHome _home = new();

    public void Dispose() => _home.Dispose();

    private static string Auth(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    [Theory]
    [InlineData("127.0.0.1:5000")]
    [InlineData("https://127.0.0.1:5000")]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("127.0.0.1:5000/v1/")]
    [InlineData("https://127.0.0.1:5000/v2/")]
    public async Task Finds_base64_auth_under_every_key_form(string key)
    {
        _home.WriteDockerConfig($$"""{"auths": {"other.example:5000": {"auth": "{{Auth("x", "y")}}"}, "{{key}}": {"auth": "{{Auth("user", "pa:ss")}}"} } }""");

        var credential = await _home.Store().GetAsync("127.0.0.1:5000", CancellationToken.None);

        Assert.Equal(RegistryCredential.FromPassword("user", "pa:ss"), credential);
    }

    [Fact]
    public async Task Prefers_the_exact_key_over_another_form_of_the_same_host()
    {
        _home.WriteDockerConfig($$"""{"auths": {"https://127.0.0.1:5000": {"auth": "{{Auth("old", "1")}}"}, "127.0.0.1:5000": {"auth": "{{Auth("new", "2")}}"} } }""");

        var credential = await _home.Store().GetAsync("127.0.0.1:5000", CancellationToken.None);

        Assert.Equal("new", credential!.Username);
    }

    [Fact]
    public async Task Reads_username_password_identity_and_registry_tokens()
    {
        _home.WriteDockerConfig("""
            {"auths": {
              "a.example": {"username": "u", "password": "p"},
              "b.example": {"auth": "", "identitytoken": "refresh-token"},
              "c.example": {"registrytoken": "bearer-token"},
              "d.example": {}
            }}
            """);
        var store = _home.Store();

        Assert.Equal(RegistryCredential.FromPassword("u", "p"), await store.GetAsync("a.example", CancellationToken.None));
        Assert.Equal(new RegistryCredential { IdentityToken = "refresh-token" }, await store.GetAsync("b.example", CancellationToken.None));
        Assert.Equal(new RegistryCredential { RegistryToken = "bearer-token" }, await store.GetAsync("c.example", CancellationToken.None));
        Assert.Null(await store.GetAsync("d.example", CancellationToken.None));
        Assert.Null(await store.GetAsync("e.example", CancellationToken.None));
    }

    [Theory]
    [InlineData("docker.io")]
    [InlineData("index.docker.io")]
    [InlineData("registry-1.docker.io")]
    [InlineData("https://registry-1.docker.io")]
    public async Task Finds_Docker_Hub_under_dockers_key(string registry)
    {
        _home.WriteDockerConfig($$"""{"auths": {"https://index.docker.io/v1/": {"auth": "{{Auth("hubuser", "hubpass")}}"} } }""");

        Assert.Equal("hubuser", (await _home.Store().GetAsync(registry, CancellationToken.None))!.Username);
    }

    [Theory]
    [InlineData("docker.io")]
    [InlineData("index.docker.io")]
    public async Task Finds_Docker_Hub_under_podmans_keys(string key)
    {
        var podman = _home.WriteFile("podman/auth.json", $$"""{"auths": {"{{key}}": {"auth": "{{Auth("podhub", "p")}}"} } }""");

        Assert.Equal("podhub", (await _home.Store([podman]).GetAsync("docker.io", CancellationToken.None))!.Username);
    }

    [Fact]
    public async Task Explicit_credentials_win_then_docker_then_podman()
    {
        _home.WriteDockerConfig($$"""{"auths": {"reg.example": {"auth": "{{Auth("docker", "d")}}"} } }""");
        var podman = _home.WriteFile("podman/auth.json", $$"""{"auths": {"reg.example": {"auth": "{{Auth("podman", "p")}}"}, "only-podman.example": {"auth": "{{Auth("podman", "p")}}"} } }""");
        var given = new Dictionary<string, RegistryCredential> { ["https://reg.example"] = RegistryCredential.FromPassword("explicit", "e") };

        Assert.Equal("explicit", (await _home.Store([podman], given).GetAsync("reg.example", CancellationToken.None))!.Username);
        Assert.Equal("docker", (await _home.Store([podman]).GetAsync("reg.example", CancellationToken.None))!.Username);
        Assert.Equal("podman", (await _home.Store([podman]).GetAsync("only-podman.example", CancellationToken.None))!.Username);
    }

    [Fact]
    public async Task Runs_the_credHelpers_entry_for_the_host()
    {
        _home.WriteDockerConfig("""{"credHelpers": {"127.0.0.1:5000": "test"}, "credsStore": "missing"}""");
        _home.SeedHelper("127.0.0.1:5000", "helped", "s3cret");

        var credential = await _home.Store().GetAsync("127.0.0.1:5000", CancellationToken.None);

        Assert.Equal(RegistryCredential.FromPassword("helped", "s3cret"), credential);
        Assert.Equal(["get 127.0.0.1:5000"], _home.HelperCalls);
    }

    [Fact]
    public async Task Runs_credsStore_with_dockers_Hub_server_url()
    {
        _home.WriteDockerConfig("""{"auths": {"https://index.docker.io/v1/": {}}, "credsStore": "test"}""");
        _home.SeedHelper("https://index.docker.io/v1/", "<token>", "identity");

        var credential = await _home.Store().GetAsync("docker.io", CancellationToken.None);

        Assert.Equal(new RegistryCredential { IdentityToken = "identity" }, credential);
        Assert.Equal(["get https://index.docker.io/v1/"], _home.HelperCalls);
    }

    [Fact]
    public async Task Credentials_not_found_in_the_helper_are_not_an_error()
    {
        _home.WriteDockerConfig($$"""{"credsStore": "test", "auths": {"inline.example": {"auth": "{{Auth("inline", "i")}}"} } }""");
        var store = _home.Store();

        Assert.Null(await store.GetAsync("127.0.0.1:5000", CancellationToken.None));
        Assert.Equal("inline", (await store.GetAsync("inline.example", CancellationToken.None))!.Username);
    }

    [Fact]
    public async Task A_cancelled_lookup_kills_a_helper_that_hangs()
    {
        var pidFile = Path.Combine(_home.Root, "helper.pid");
        _home.WriteHelper("hanging", $"echo $$ > '{pidFile}'; exec sleep 300");
        _home.WriteDockerConfig("""{"credsStore": "hanging"}""");
        using var cancel = new CancellationTokenSource();

        var lookup = _home.Store().GetAsync("127.0.0.1:5000", cancel.Token);
        // Bounded: a lookup that ends without starting the helper must fail the test, not hang it.
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(pidFile) || File.ReadAllText(pidFile).Length == 0)
        {
            Assert.False(lookup.IsCompleted, $"the lookup ended before the helper wrote its pid: {lookup.Exception?.InnerException?.Message ?? lookup.Status.ToString()}");
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), "the helper did not write its pid within 30 s");
            await Task.Delay(20);
        }
        using var helper = System.Diagnostics.Process.GetProcessById(int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => lookup);
        Assert.True(helper.WaitForExit(TimeSpan.FromSeconds(10)), "the helper still runs after the cancelled lookup");
    }

    [Fact]
    public async Task A_failing_helper_is_an_error_without_the_secret()
    {
        _home.WriteHelper("broken", "cat >/dev/null; echo 'keychain locked' >&2; exit 3");
        _home.WriteDockerConfig("""{"credsStore": "broken"}""");

        var error = await Assert.ThrowsAsync<CredentialException>(() => _home.Store().GetAsync("127.0.0.1:5000", CancellationToken.None));

        Assert.Contains("docker-credential-broken get 127.0.0.1:5000 failed with exit code 3: keychain locked", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A raw token starting with t, f or n is quoted whole by the JSON parser's own message.</summary>
    [Theory]
    [InlineData("Secret: hunter2-not-json", "hunter2")]
    [InlineData("tok_SUPERSECRET_abc123", "SUPERSECRET")]
    [InlineData("fr0zen-Secret-99", "fr0zen")]
    [InlineData("nope-Secret-42", "nope")]
    [InlineData("{\"Username\":\"u\",\"Secret\":\"SUPERSECRET\\ud800\"}", "SUPERSECRET")]
    public async Task A_helper_answer_that_is_not_json_is_reported_without_its_content(string answer, string secret)
    {
        _home.WriteHelper("leaky", $"cat >/dev/null; echo '{answer}'");
        _home.WriteDockerConfig("""{"credsStore": "leaky"}""");

        var error = await Assert.ThrowsAsync<CredentialException>(() => _home.Store().GetAsync("127.0.0.1:5000", CancellationToken.None));

        Assert.Contains("the answer is not valid JSON (line 1, byte", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"SUPERSECRET\"")]
    [InlineData("1e999")]
    [InlineData("null")]
    public async Task A_helper_answer_that_is_not_an_object_is_reported_without_its_content(string answer)
    {
        _home.WriteHelper("odd", $"cat >/dev/null; echo '{answer}'");
        _home.WriteDockerConfig("""{"credsStore": "odd"}""");

        var error = await Assert.ThrowsAsync<CredentialException>(() => _home.Store().GetAsync("127.0.0.1:5000", CancellationToken.None));

        Assert.Contains("docker-credential-odd get 127.0.0.1:5000: the answer is not a JSON object", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SUPERSECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_helper_is_named()
    {
        _home.WriteDockerConfig("""{"credsStore": "desktop"}""");

        var error = await Assert.ThrowsAsync<CredentialException>(() => _home.Store().GetAsync("127.0.0.1:5000", CancellationToken.None));

        Assert.Contains("docker-credential-desktop is not on PATH", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"auths": {"reg": {"auth": "c2VjcmV0OnBhc3N3b3Jk"}""", "c2VjcmV0")]
    [InlineData("""{"auths": {"reg": {"password": fr0zen-Secret-99}}}""", "fr0zen")]
    [InlineData("""{"auths": {"reg": {"password": tok_SUPERSECRET}}}""", "SUPERSECRET")]
    [InlineData("""{"auths": {"reg": {"password": "SUPERSECRET\udc00"}}}""", "SUPERSECRET")]
    public async Task A_malformed_config_names_the_file_not_its_content(string config, string secret)
    {
        _home.WriteDockerConfig(config);

        var error = await Assert.ThrowsAsync<CredentialException>(() => _home.Store().GetAsync("reg", CancellationToken.None));

        Assert.Contains(_home.DockerConfigPath, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_given_twice_keeps_its_last_value_as_docker_reads_it()
    {
        _home.WriteDockerConfig("""{"auths": {"reg.example": {"username": "first", "password": "one"}}, "auths": {"reg.example": {"username": "last", "password": "two"}}}""");

        var credential = await _home.Store().GetAsync("reg.example", CancellationToken.None);

        Assert.Equal(("last", "two"), (credential!.Username, credential.Password));
    }

    [Fact]
    public async Task An_auth_that_is_not_base64_is_reported_without_its_value()
    {
        _home.WriteDockerConfig("""{"auths": {"reg.example": {"auth": "not*base64!secret"}}}""");

        var error = await Assert.ThrowsAsync<CredentialException>(() => _home.Store().GetAsync("reg.example", CancellationToken.None));

        Assert.Contains("\"auth\" of \"reg.example\"", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SUPERSECRET\\u0000")]
    [InlineData("SUPERSECRET\\r\\nX-Injected: 1")]
    [InlineData("SUPERSECRET token")]
    [InlineData("SUPERSECRET\u00e9")]
    public async Task A_registry_token_no_header_can_carry_is_reported_without_its_value(string token)
    {
        _home.WriteDockerConfig("{\"auths\": {\"reg.example\": {\"registrytoken\": \"" + token + "\"}}}");

        var error = await Assert.ThrowsAsync<CredentialException>(() => _home.Store().GetAsync("reg.example", CancellationToken.None));

        Assert.Contains($"the \"registrytoken\" of \"reg.example\" in {_home.DockerConfigPath} holds a character no Authorization header can carry", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SUPERSECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_or_empty_files_mean_no_credentials()
    {
        Assert.Null(await _home.Store([Path.Combine(_home.Root, "nope", "auth.json")]).GetAsync("reg.example", CancellationToken.None));
        _home.WriteDockerConfig("");
        Assert.Null(await _home.Store().GetAsync("reg.example", CancellationToken.None));
    }

    [Fact]
    public void Finds_the_files_docker_and_podman_use()
    {
        var environment = new Dictionary<string, string?> { ["HOME"] = "/home/u" };
        DockerCredentialStore Store(bool root = false) => new(new CredentialStoreOptions { Environment = n => environment.GetValueOrDefault(n), IsRoot = root });

        Assert.Equal("/home/u/.docker/config.json", Store().DockerConfigPath);
        Assert.Equal(["/home/u/.config/containers/auth.json"], Store().PodmanAuthFiles);
        Assert.Equal(["/run/containers/0/auth.json", "/home/u/.config/containers/auth.json"], Store(root: true).PodmanAuthFiles);

        environment["DOCKER_CONFIG"] = "/cfg";
        environment["XDG_RUNTIME_DIR"] = "/run/user/1000";
        environment["XDG_CONFIG_HOME"] = "/xdg";
        Assert.Equal("/cfg/config.json", Store().DockerConfigPath);
        Assert.Equal(["/run/user/1000/containers/auth.json", "/xdg/containers/auth.json"], Store(root: true).PodmanAuthFiles);

        environment["REGISTRY_AUTH_FILE"] = "/tmp/auth.json";
        Assert.Equal(["/tmp/auth.json"], Store().PodmanAuthFiles);
    }

    [Fact]
    public async Task Reads_podmans_auth_file_from_REGISTRY_AUTH_FILE()
    {
        var podman = _home.WriteFile("elsewhere/auth.json", $$"""{"auths": {"127.0.0.1:5000": {"auth": "{{Auth("pod", "man")}}"} } }""");
        _home.Environment["REGISTRY_AUTH_FILE"] = podman;
        var store = new DockerCredentialStore(new CredentialStoreOptions { Environment = n => _home.Environment.GetValueOrDefault(n) });

        Assert.Equal(RegistryCredential.FromPassword("pod", "man"), await store.GetAsync("127.0.0.1:5000", CancellationToken.None));
    }
}
