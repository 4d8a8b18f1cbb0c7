using System.Net;
using System.Text;

namespace Dockerless.Tests.Distribution;

/// <summary>Docker Hub cannot be reached from the build machines: its defaults are checked here.</summary>
public sealed class DockerHubDefaultsTests
{
    private const string HubChallenge = "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"";

    private static DockerCredentialStore NoCredentials() => new(new CredentialStoreOptions
    {
        DockerConfigDirectory = Path.Combine(Path.GetTempPath(), "dockerless-no-such-dir"),
        PodmanAuthFiles = [],
        Environment = _ => null,
        IsRoot = false,
    });

    [Fact]
    public async Task The_default_registry_is_Docker_Hub()
    {
        await using var hub = new Registry();

        Assert.Equal("docker.io", hub.Host);
        Assert.Equal("registry-1.docker.io", RegistryEndpoint.Parse(new RegistryOptions().Address).Host);
    }

    [Theory]
    [InlineData("docker.io")]
    [InlineData("index.docker.io")]
    [InlineData("registry-1.docker.io")]
    [InlineData("https://registry-1.docker.io/")]
    public void Every_Docker_Hub_alias_means_its_API_host(string address)
    {
        var endpoint = RegistryEndpoint.Parse(address);

        Assert.True(endpoint.IsDockerHub);
        Assert.Equal("https://registry-1.docker.io/", endpoint.BaseUri(endpoint.ExplicitScheme ?? "https").ToString());
        Assert.False(endpoint.IsLoopback);
    }

    [Theory]
    [InlineData("busybox", "library/busybox")]
    [InlineData("library/busybox", "library/busybox")]
    [InlineData("docker.io/busybox", "library/busybox")]
    [InlineData("index.docker.io/library/busybox", "library/busybox")]
    [InlineData("continuumio/miniconda3", "continuumio/miniconda3")]
    public async Task Official_images_live_under_library(string name, string repository)
    {
        await using var hub = new Registry();

        Assert.Equal(repository, hub.RepositoryOf(name));
    }

    [Fact]
    public async Task Other_registries_get_no_library_prefix_and_refuse_a_foreign_host()
    {
        await using var local = new Registry("http://127.0.0.1:5000");

        Assert.Equal("busybox", local.RepositoryOf("busybox"));
        Assert.Equal("team/app", local.RepositoryOf("127.0.0.1:5000/team/app"));
        Assert.Throws<InvalidReferenceException>(() => local.RepositoryOf("docker.io/busybox"));
        Assert.Throws<InvalidReferenceException>(() => local.RepositoryOf("Upper/Case"));
    }

    [Theory]
    [InlineData("a//b")]
    [InlineData("../x")]
    [InlineData("team/../admin")]
    [InlineData("./app")]
    [InlineData("app?n=1")]
    [InlineData("app#x")]
    [InlineData("a b")]
    [InlineData("app/")]
    [InlineData("-app")]
    [InlineData("app%2Fx")]
    public async Task A_repository_name_outside_the_grammar_is_refused_before_any_request(string name)
    {
        // Nothing listens on port 1: a request sent would fail as an HttpRequestException or RegistryException.
        await using var local = new Registry("http://127.0.0.1:1");

        Assert.Throws<InvalidReferenceException>(() => local.RepositoryOf(name));
        await Assert.ThrowsAsync<InvalidReferenceException>(() => local.ListTagsAsync(name));
        await Assert.ThrowsAsync<InvalidReferenceException>(() => local.GetDigestAsync(name));
        await Assert.ThrowsAsync<InvalidReferenceException>(() => local.PullImageAsync(name + ":1"));
    }

    [Fact]
    public async Task A_repository_name_longer_than_the_registry_takes_is_refused()
    {
        await using var local = new Registry("http://127.0.0.1:1");

        Assert.Equal(new string('a', 240), local.RepositoryOf(new string('a', 240)));
        Assert.Throws<InvalidReferenceException>(() => local.RepositoryOf(new string('a', 250)));
    }

    [Theory]
    [InlineData("{\"token\":\"hub-token\",\"expires_in\":300}")]
    [InlineData("{\"access_token\":\"hub-token\",\"expires_in\":300}")]
    public async Task An_anonymous_pull_asks_the_realm_for_a_token_for_service_and_scope(string tokenBody)
    {
        var fake = new FakeHandler(request => request.RequestUri!.Host switch
        {
            "auth.docker.io" => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(tokenBody, Encoding.UTF8, "application/json") },
            _ when request.Headers.Authorization?.ToString() == "Bearer hub-token" => new HttpResponseMessage(HttpStatusCode.OK),
            _ => Unauthorized(),
        });
        using var auth = new AuthHandler(RegistryEndpoint.Parse("docker.io"), new RegistryOptions { CredentialStore = NoCredentials() }, Polly.ResiliencePipeline<HttpResponseMessage>.Empty, fake);
        using var client = new HttpClient(auth);

        using var first = await client.GetAsync("https://registry-1.docker.io/v2/library/busybox/manifests/latest");
        using var second = await client.GetAsync("https://registry-1.docker.io/v2/library/busybox/blobs/sha256:" + new string('a', 64));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var tokenRequests = fake.Seen.Where(s => s.Uri.Host == "auth.docker.io").ToList();
        var tokenRequest = Assert.Single(tokenRequests);
        Assert.Equal("https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Alibrary%2Fbusybox%3Apull", tokenRequest.Uri.AbsoluteUri);
        Assert.Null(tokenRequest.Authorization);
    }

    [Fact]
    public async Task Credentials_go_to_the_realm_as_Basic_with_the_account()
    {
        var fake = new FakeHandler(request => request.RequestUri!.Host switch
        {
            "auth.docker.io" => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"token\":\"t\"}") },
            _ when request.Headers.Authorization is not null => new HttpResponseMessage(HttpStatusCode.OK),
            _ => Unauthorized(),
        });
        var options = new RegistryOptions { Credential = RegistryCredential.FromPassword("me", "pw") };
        using var auth = new AuthHandler(RegistryEndpoint.Parse("docker.io"), options, Polly.ResiliencePipeline<HttpResponseMessage>.Empty, fake);
        using var client = new HttpClient(auth);

        using var response = await client.GetAsync("https://registry-1.docker.io/v2/library/busybox/tags/list");

        var token = fake.Seen.Single(s => s.Uri.Host == "auth.docker.io");
        Assert.Contains("account=me", token.Uri.Query, StringComparison.Ordinal);
        Assert.Equal("Basic " + Convert.ToBase64String("me:pw"u8), token.Authorization);
    }

    [Theory]
    [InlineData("{\"token\":\"hub\\u0000token\"}")]
    [InlineData("{\"token\":\"hub\\r\\nX-Injected: 1\"}")]
    [InlineData("{\"access_token\":\"hub token\"}")]
    [InlineData("{\"token\":\"hub-t\u00f6ken\"}")]
    public async Task A_token_no_header_can_carry_is_refused_as_the_token_endpoints_error(string tokenBody)
    {
        var fake = new FakeHandler(request => request.RequestUri!.Host switch
        {
            "auth.docker.io" => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(tokenBody, Encoding.UTF8, "application/json") },
            _ => Unauthorized(),
        });
        using var auth = new AuthHandler(RegistryEndpoint.Parse("docker.io"), new RegistryOptions { CredentialStore = NoCredentials() }, Polly.ResiliencePipeline<HttpResponseMessage>.Empty, fake);
        using var client = new HttpClient(auth);

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.GetAsync("https://registry-1.docker.io/v2/library/busybox/manifests/latest"));

        Assert.Equal("get token", error.Operation);
        Assert.Contains("no Authorization header can carry", error.InnerException!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(fake.Seen, s => s.Uri.Host == "registry-1.docker.io" && s.Authorization is not null);
    }

    private static HttpResponseMessage Unauthorized()
    {
        var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);
        response.Headers.TryAddWithoutValidation("WWW-Authenticate", HubChallenge);
        return response;
    }
}
