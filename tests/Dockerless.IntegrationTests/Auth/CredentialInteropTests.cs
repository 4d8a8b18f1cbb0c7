using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Auth;

/// <summary>
/// The credential store against a real client: skopeo logs in to an htpasswd registry and we read
/// its auth file; we log in and skopeo reads ours, also through a shared credential helper.
/// </summary>
public sealed class CredentialInteropTests : IAsyncLifetime, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dockerless-interop-").FullName;
    private readonly Dictionary<string, string?> _environment = new(StringComparer.Ordinal);
    private RegistryProcess _registry = null!;

    private string Host => _registry.Host;

    private string DockerConfig => Path.Combine(_directory, "docker", "config.json");

    public async Task InitializeAsync()
    {
        _registry = await RegistryProcess.StartAsync(new RegistryProcessOptions { InMemory = true, HtpasswdUsers = new Dictionary<string, string> { ["user"] = "pass" } });
        _environment["DOCKER_CONFIG"] = Path.GetDirectoryName(DockerConfig);
        _environment["PATH"] = Path.Combine(_directory, "bin") + ":" + Environment.GetEnvironmentVariable("PATH");
    }

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private DockerCredentialStore Store() => new(new CredentialStoreOptions { Environment = n => _environment.GetValueOrDefault(n), IsRoot = false });

    [Fact]
    public async Task We_read_the_auth_file_skopeo_login_writes_and_the_registry_accepts_it()
    {
        var authFile = Path.Combine(_directory, "auth.json");
        await Peer.RunAsync("skopeo", ["login", "--authfile", authFile, "--tls-verify=false", "-u", "user", "--password-stdin", Host], stdin: "pass\n");
        _environment["REGISTRY_AUTH_FILE"] = authFile;

        var credential = await Store().GetAsync(Host, CancellationToken.None);

        Assert.Equal(RegistryCredential.FromPassword("user", "pass"), credential);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, _registry.Url("/v2/"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential!.Username}:{credential.Password}")));
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Skopeo_reads_our_login_and_our_logout_removes_it()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DockerConfig)!);
        await File.WriteAllTextAsync(DockerConfig, """{"auths": {"keep.example": {"auth": "a2VlcDprZWVw"}}, "psFormat": "table"}""");

        await Store().SaveAsync(Host, "user", "pass", CancellationToken.None);

        Assert.Equal("user", (await Peer.RunAsync("skopeo", ["login", "--get-login", "--authfile", DockerConfig, Host])).Trim());

        Assert.True(await Store().EraseAsync(Host, CancellationToken.None));
        var (exitCode, output) = await Peer.TryRunAsync("skopeo", ["login", "--get-login", "--authfile", DockerConfig, Host]);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("not logged in", output, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("keep", (await Peer.RunAsync("skopeo", ["login", "--get-login", "--authfile", DockerConfig, "keep.example"])).Trim());
    }

    [Fact]
    public async Task Skopeo_and_we_share_a_credential_helper()
    {
        WriteHelper();
        Directory.CreateDirectory(Path.GetDirectoryName(DockerConfig)!);
        await File.WriteAllTextAsync(DockerConfig, $$"""{"credHelpers": {"{{Host}}": "interop"} }""");

        await Store().SaveAsync(Host, "user", "pass", CancellationToken.None);

        Assert.DoesNotContain("pass", await File.ReadAllTextAsync(DockerConfig), StringComparison.Ordinal);
        var env = new Dictionary<string, string> { ["PATH"] = _environment["PATH"]! };
        Assert.Equal("user", (await Peer.RunAsync("skopeo", ["login", "--get-login", "--authfile", DockerConfig, Host], env)).Trim());
        Assert.Equal(RegistryCredential.FromPassword("user", "pass"), await Store().GetAsync(Host, CancellationToken.None));
    }

    /// <summary>A file-backed <c>docker-credential-interop</c> speaking the helper protocol.</summary>
    private void WriteHelper()
    {
        var bin = Directory.CreateDirectory(Path.Combine(_directory, "bin")).FullName;
        var store = Path.Combine(_directory, "helper-secret.json");
        var script = Path.Combine(bin, "docker-credential-interop");
        File.WriteAllText(script, $$"""
            #!/bin/sh
            case "$1" in
              store) cat > '{{store}}' ;;
              get) cat >/dev/null; if [ -f '{{store}}' ]; then cat '{{store}}'; else echo "credentials not found in native keychain"; exit 1; fi ;;
              erase) cat >/dev/null; rm -f '{{store}}' ;;
              list) echo '{}' ;;
            esac
            """);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
