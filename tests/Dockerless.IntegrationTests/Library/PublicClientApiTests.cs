using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Library;

/// <summary>The library's plug-in points, against the real registry: a caller's transport, the User-Agent, login, credential stores.</summary>
public sealed class PublicClientApiTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly Dictionary<string, string> Alice = new() { ["alice"] = "s3cret-pw" };

    [Fact]
    public async Task Requests_go_through_the_callers_handler_and_carry_the_package_version()
    {
        await using var server = await RegistryProcess.StartAsync();
        using var counting = new CountingHandler(new SocketsHttpHandler());
        await using var registry = new Registry(new RegistryOptions { Address = $"http://{server.Host}", HttpHandler = counting });
        await using var image = Image.Scratch();
        image.Config.Env.Add("A=1");

        await registry.PushImageAsync(image, ImageReference.Parse($"{server.Host}/api/app:1"));

        Assert.True(counting.Requests > 0);
        var version = typeof(Image).Assembly.GetName().Version!;
        Assert.Contains(await server.AccessLogAsync(), l => l.Contains($"\"dockerless/{version.Major}.{version.Minor}.{version.Build}\"", StringComparison.Ordinal));
        // The caller's handler is still theirs: the registry did not dispose it.
        using var invoker = new HttpMessageInvoker(counting, disposeHandler: false);
        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, server.Url("/v2/")), CancellationToken.None);
        Assert.True(response.IsSuccessStatusCode);
    }

    [Fact]
    public async Task Login_checks_the_credentials_before_it_stores_them()
    {
        await using var server = await RegistryProcess.StartAsync(new RegistryProcessOptions { HtpasswdUsers = Alice });
        var store = new DockerCredentialStore(new CredentialStoreOptions { DockerConfigDirectory = _dir["config"], PodmanAuthFiles = [] });

        var refused = await Assert.ThrowsAsync<RegistryException>(() => store.LoginAsync(server.Host, "alice", "wrong"));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.DoesNotContain("wrong", refused.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(_dir["config/config.json"]));

        await store.LoginAsync(server.Host, "alice", "s3cret-pw");
        Assert.Equal("alice", (await store.GetAsync(server.Host))?.Username);
        await using (var registry = new Registry(new RegistryOptions { Address = server.Host, CredentialStore = store }))
        {
            await registry.CheckCredentialsAsync();
        }
        Assert.True((await store.LogoutAsync(server.Host)).Erased);
        Assert.Null(await store.GetAsync(server.Host));
    }

    [Fact]
    public async Task An_in_memory_store_authenticates_as_the_docker_config_would()
    {
        await using var server = await RegistryProcess.StartAsync(new RegistryProcessOptions { HtpasswdUsers = Alice });
        var store = new InMemoryCredentialStore();
        store.Set($"http://{server.Host}/", RegistryCredential.FromPassword("alice", "s3cret-pw"));
        await using var registry = new Registry(new RegistryOptions { Address = server.Host, CredentialStore = store });
        await using var image = Image.Scratch();

        var digest = await registry.PushImageAsync(image, ImageReference.Parse($"{server.Host}/api/app:1"));

        Assert.Equal(digest, await registry.GetDigestAsync(ImageReference.Parse($"{server.Host}/api/app:1")));
        Assert.True(store.Remove(server.Host));
        await using var anonymous = new Registry(new RegistryOptions { Address = server.Host, CredentialStore = store });
        var error = await Assert.ThrowsAsync<RegistryException>(() => anonymous.GetDigestAsync(ImageReference.Parse($"{server.Host}/api/app:1")));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
    }

    private sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int _requests;

        public int Requests => _requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
