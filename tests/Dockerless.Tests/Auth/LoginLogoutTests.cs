using System.Text;
using System.Text.Json.Nodes;

namespace Dockerless.Tests.Auth;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LoginLogoutTests : IDisposable
{
    private readonly CredentialTestHome _home = new();

    public void Dispose() => _home.Dispose();

    private JsonObject Config() => (JsonObject)JsonNode.Parse(File.ReadAllText(_home.DockerConfigPath))!;

    [Fact]
    public async Task Login_creates_the_file_with_mode_0600_and_base64_auth()
    {
        await _home.Store().SaveAsync("127.0.0.1:5000", "user", "p@ss:word", CancellationToken.None);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_home.DockerConfigPath));
        var auth = Config()["auths"]!["127.0.0.1:5000"]!["auth"]!.GetValue<string>();
        Assert.Equal("user:p@ss:word", Encoding.UTF8.GetString(Convert.FromBase64String(auth)));
        Assert.Equal(RegistryCredential.FromPassword("user", "p@ss:word"), await _home.Store().GetAsync("127.0.0.1:5000", CancellationToken.None));
        // No temporary is left; the lock file that concurrent logins share stays.
        Assert.Equal([_home.DockerConfigPath, _home.DockerConfigPath + ".lock"], Directory.GetFiles(_home.DockerConfigDirectory).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Concurrent_logins_and_logouts_keep_every_other_entry()
    {
        _home.WriteDockerConfig("""{"auths": {"gone.example": {"auth": "b3RoZXI6cA=="}}, "psFormat": "kept"}""");
        for (var round = 0; round < 5; round++)
        {
            var logins = Enumerable.Range(0, 8).Select(i => Task.Run(() => _home.Store().SaveAsync($"reg{i}.example:{5000 + round}", $"user{i}", "pw", CancellationToken.None)));
            var logout = Task.Run(() => _home.Store().LogoutAsync(round == 0 ? "gone.example" : $"reg0.example:{5000 + round - 1}", CancellationToken.None));
            await Task.WhenAll([.. logins, logout]);
        }

        var auths = Config()["auths"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal);
        Assert.Equal([.. Enumerable.Range(0, 5).SelectMany(round => Enumerable.Range(round == 4 ? 0 : 1, round == 4 ? 8 : 7).Select(i => $"reg{i}.example:{5000 + round}")).Order(StringComparer.Ordinal)], auths);
        Assert.Equal("kept", Config()["psFormat"]!.GetValue<string>());
    }

    [Fact]
    public async Task Login_keeps_every_other_field_and_tightens_the_mode()
    {
        _home.WriteDockerConfig("""
            {
              "auths": {"other.example": {"auth": "b3RoZXI6cA==", "email": "me@example.com"}},
              "HttpHeaders": {"User-Agent": "custom"},
              "psFormat": "table {{.ID}}",
              "experimental": "enabled",
              "plugins": {"x": {"n": 1.50, "list": [1, true, null]}}
            }
            """);
        File.SetUnixFileMode(_home.DockerConfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await _home.Store().SaveAsync("docker.io", "hub", "secret", CancellationToken.None);

        var config = Config();
        Assert.Equal("custom", config["HttpHeaders"]!["User-Agent"]!.GetValue<string>());
        Assert.Equal("table {{.ID}}", config["psFormat"]!.GetValue<string>());
        Assert.Equal("enabled", config["experimental"]!.GetValue<string>());
        Assert.Equal("""{"n":1.50,"list":[1,true,null]}""", config["plugins"]!["x"]!.ToJsonString());
        Assert.Equal("me@example.com", config["auths"]!["other.example"]!["email"]!.GetValue<string>());
        Assert.NotNull(config["auths"]!["https://index.docker.io/v1/"]!["auth"]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_home.DockerConfigPath));
    }

    [Fact]
    public async Task Login_through_a_symlinked_config_changes_the_target_and_keeps_the_link()
    {
        var target = _home.WriteFile("dotfiles/docker-config.json", """{"detachKeys": "ctrl-x"}""");
        Directory.CreateDirectory(_home.DockerConfigDirectory);
        File.CreateSymbolicLink(_home.DockerConfigPath, target);

        await _home.Store().SaveAsync("reg.example", "user", "pw", CancellationToken.None);

        Assert.NotNull(new FileInfo(_home.DockerConfigPath).LinkTarget);
        Assert.Contains("reg.example", File.ReadAllText(target), StringComparison.Ordinal);
        Assert.Contains("ctrl-x", File.ReadAllText(target), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(target));
    }

    [Fact]
    public async Task Login_through_credsStore_keeps_the_secret_out_of_the_file()
    {
        _home.WriteDockerConfig("""{"credsStore": "test"}""");

        await _home.Store().SaveAsync("127.0.0.1:5000", "user", "helper-secret", CancellationToken.None);

        Assert.DoesNotContain("helper-secret", File.ReadAllText(_home.DockerConfigPath), StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String("user:helper-secret"u8), File.ReadAllText(_home.DockerConfigPath), StringComparison.Ordinal);
        Assert.Equal("{}", Config()["auths"]!["127.0.0.1:5000"]!.ToJsonString());
        Assert.Contains("helper-secret", _home.HelperSecretFile("127.0.0.1:5000"), StringComparison.Ordinal);
        Assert.Equal(RegistryCredential.FromPassword("user", "helper-secret"), await _home.Store().GetAsync("127.0.0.1:5000", CancellationToken.None));
    }

    [Fact]
    public async Task Login_to_Docker_Hub_through_credHelpers_uses_dockers_key()
    {
        _home.WriteDockerConfig("""{"credHelpers": {"docker.io": "test"}}""");

        await _home.Store().SaveAsync("registry-1.docker.io", "hub", "s", CancellationToken.None);

        Assert.True(_home.HelperHas("https://index.docker.io/v1/"));
        Assert.Contains("store https://index.docker.io/v1/", _home.HelperCalls);
    }

    [Fact]
    public async Task Logout_removes_every_form_of_the_key_and_keeps_the_rest()
    {
        _home.WriteDockerConfig("""
            {"auths": {"127.0.0.1:5000": {"auth": "YTpi"}, "https://127.0.0.1:5000": {"auth": "YTpi"}, "keep.example": {"auth": "YTpi"}},
             "credHelpers": {}, "detachKeys": "ctrl-x"}
            """);

        Assert.True(await _home.Store().EraseAsync("127.0.0.1:5000", CancellationToken.None));

        var config = Config();
        Assert.Equal(["keep.example"], config["auths"]!.AsObject().Select(p => p.Key));
        Assert.Equal("ctrl-x", config["detachKeys"]!.GetValue<string>());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_home.DockerConfigPath));
        Assert.False(await _home.Store().EraseAsync("127.0.0.1:5000", CancellationToken.None));
    }

    [Fact]
    public async Task Logout_erases_from_the_helper()
    {
        _home.WriteDockerConfig("""{"credsStore": "test"}""");
        await _home.Store().SaveAsync("127.0.0.1:5000", "user", "s", CancellationToken.None);

        Assert.True(await _home.Store().EraseAsync("127.0.0.1:5000", CancellationToken.None));

        Assert.False(_home.HelperHas("127.0.0.1:5000"));
        Assert.Null(await _home.Store().GetAsync("127.0.0.1:5000", CancellationToken.None));
    }

    [Fact]
    public async Task Logout_erases_the_helper_secret_under_every_marker_so_none_is_orphaned()
    {
        _home.WriteDockerConfig("""{"credsStore": "test", "auths": {"https://reg.example": {}, "reg.example": {}, "keep.example": {}}}""");
        _home.SeedHelper("https://reg.example", "old", "old-secret");
        _home.SeedHelper("reg.example", "new", "new-secret");
        _home.SeedHelper("keep.example", "other", "other-secret");

        Assert.True(await _home.Store().EraseAsync("reg.example", CancellationToken.None));

        Assert.False(_home.HelperHas("https://reg.example"));
        Assert.False(_home.HelperHas("reg.example"));
        Assert.True(_home.HelperHas("keep.example"));
        Assert.Contains("erase https://reg.example", _home.HelperCalls);
        Assert.Contains("erase reg.example", _home.HelperCalls);
        Assert.DoesNotContain("erase keep.example", _home.HelperCalls);
        Assert.Equal(["keep.example"], Config()["auths"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task Logout_erases_the_forms_docker_logout_erases_even_without_a_marker()
    {
        // An older docker stored under http://host and left no auths entry pointing at it.
        _home.WriteDockerConfig("""{"credsStore": "test"}""");
        _home.SeedHelper("http://reg.example:5000", "user", "s");

        Assert.True(await _home.Store().EraseAsync("https://reg.example:5000/", CancellationToken.None));

        Assert.False(_home.HelperHas("http://reg.example:5000"));
        Assert.Contains("erase https://reg.example:5000/", _home.HelperCalls);
        Assert.Contains("erase reg.example:5000", _home.HelperCalls);
    }

    [Fact]
    public async Task Logout_from_Docker_Hub_erases_its_index_url_from_the_helper()
    {
        _home.WriteDockerConfig("""{"credHelpers": {"docker.io": "test"}, "auths": {"https://index.docker.io/v1/": {}}}""");
        _home.SeedHelper("https://index.docker.io/v1/", "hub", "s");

        Assert.True(await _home.Store().EraseAsync("docker.io", CancellationToken.None));

        Assert.False(_home.HelperHas("https://index.docker.io/v1/"));
        Assert.Empty(Config()["auths"]!.AsObject());
    }

    [Fact]
    public void The_helper_keys_are_dockers_forms_as_typed_and_lowercased_then_the_auths_keys()
    {
        Assert.Equal(
            ["https://Reg.Example:5000/v2/", "Reg.Example:5000", "http://Reg.Example:5000", "https://Reg.Example:5000",
             "reg.example:5000", "http://reg.example:5000", "https://reg.example:5000", "reg.example:5000/v1/"],
            DockerCredentialStore.HelperKeysToErase("https://Reg.Example:5000/v2/", ["reg.example:5000", "reg.example:5000/v1/"]));
        Assert.Equal(["index.docker.io", "https://index.docker.io/v1/"], DockerCredentialStore.HelperKeysToErase("index.docker.io", []));
    }

    [Fact]
    public async Task Logout_through_a_helper_whose_erase_fails_warns_and_still_cleans_the_file()
    {
        // As docker-credential-ecr-login: erase is not implemented.
        _home.WriteHelper("ecr", $"read -r url; echo \"$1 $url\" >> '{_home.Root}/calls'; echo 'not implemented'; exit 1\n");
        _home.WriteDockerConfig("""{"credHelpers": {"reg.example": "ecr"}, "auths": {"reg.example": {"auth": "dXNlcjpwbGFpbi1zZWNyZXQ="}}}""");

        var result = await _home.Store().LogoutAsync("reg.example", CancellationToken.None);

        Assert.True(result.Erased);
        Assert.Empty(Config()["auths"]!.AsObject());
        Assert.NotEmpty(result.Warnings);
        Assert.All(result.Warnings, w => Assert.Contains("docker-credential-ecr erase", w, StringComparison.Ordinal));
        Assert.All(result.Warnings, w => Assert.Contains("not implemented", w, StringComparison.Ordinal));
        Assert.Contains("erase reg.example", _home.HelperCalls);
    }

    [Fact]
    public async Task Logout_with_a_helper_that_has_nothing_gives_no_warning()
    {
        _home.WriteDockerConfig("""{"credsStore": "test", "auths": {"reg.example": {}}}""");

        var result = await _home.Store().LogoutAsync("reg.example", CancellationToken.None);

        Assert.True(result.Erased);
        Assert.Empty(result.Warnings);
        Assert.Contains("erase reg.example", _home.HelperCalls);
        Assert.Empty(Config()["auths"]!.AsObject());
    }

    [Fact]
    public async Task Logout_with_a_helper_not_on_path_warns_once_and_still_cleans_the_file()
    {
        _home.WriteDockerConfig("""{"credsStore": "missing", "auths": {"reg.example": {}, "https://reg.example": {}}}""");

        var result = await _home.Store().LogoutAsync("reg.example", CancellationToken.None);

        Assert.True(result.Erased);
        Assert.Contains("docker-credential-missing is not on PATH", Assert.Single(result.Warnings), StringComparison.Ordinal);
        Assert.Empty(Config()["auths"]!.AsObject());
    }

    [Fact]
    public async Task Logout_without_a_config_file_changes_nothing()
    {
        Assert.False(await _home.Store().EraseAsync("127.0.0.1:5000", CancellationToken.None));
        Assert.False(File.Exists(_home.DockerConfigPath));
    }

    [Fact]
    public async Task A_failed_write_names_the_file_but_not_the_password()
    {
        Directory.CreateDirectory(_home.DockerConfigPath);

        var error = await Assert.ThrowsAsync<CredentialException>(() => _home.Store().SaveAsync("reg.example", "user", "top-secret", CancellationToken.None));

        Assert.Contains(_home.DockerConfigPath, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("top-secret", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String("user:top-secret"u8), error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_config_directory_under_a_regular_file_fails_with_the_write_error_not_the_cleanup_error()
    {
        // DOCKER_CONFIG=FILE/docker: the directory cannot be made, and the temporary file was never created.
        var blocker = _home.WriteFile("blocker", "not a directory");
        _home.Environment["DOCKER_CONFIG"] = Path.Combine(blocker, "docker");

        var error = await Assert.ThrowsAsync<CredentialException>(() => _home.Store().SaveAsync("reg.example", "user", "top-secret", CancellationToken.None));

        Assert.StartsWith($"cannot write {Path.Combine(blocker, "docker", "config.json")}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", error.Message, StringComparison.Ordinal);
    }
}
