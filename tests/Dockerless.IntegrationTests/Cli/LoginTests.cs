using System.Text.Json;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Cli;

/// <summary><c>dockerless login</c>/<c>logout</c> write docker's config.json, which skopeo then uses.</summary>
public class LoginTests
{
    [Fact]
    public async Task Login_credentials_work_for_skopeo_and_logout_removes_them()
    {
        await using var registry = await RegistryProcess.StartAsync(new RegistryProcessOptions { HtpasswdUsers = new Dictionary<string, string> { ["alice"] = "s3cret-pw" } });
        var config = Directory.CreateTempSubdirectory("dockerless-cli-config-");
        try
        {
            var env = new Dictionary<string, string?> { ["DOCKER_CONFIG"] = config.FullName };
            var login = await CliTool.SucceedAsync(["login", registry.Host, "-u", "alice", "--password-stdin"], env, "s3cret-pw\n");
            Assert.DoesNotContain("s3cret-pw", login.Output + login.Error, StringComparison.Ordinal);
            var authFile = Path.Combine(config.FullName, "config.json");
            using (var document = JsonDocument.Parse(await File.ReadAllTextAsync(authFile)))
            {
                Assert.True(document.RootElement.GetProperty("auths").TryGetProperty(registry.Host, out _));
            }

            // With the file, skopeo gets past authentication (the repository is simply empty); without it, it is refused.
            var withAuth = await Peer.TryRunAsync("skopeo", ["inspect", "--tls-verify=false", "--authfile", authFile, $"docker://{registry.Host}/nothing:1"]);
            Assert.Contains("manifest unknown", withAuth.Output, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("authentication required", withAuth.Output, StringComparison.OrdinalIgnoreCase);

            await CliTool.SucceedAsync(["logout", registry.Host], env);
            var afterLogout = await Peer.TryRunAsync("skopeo", ["inspect", "--tls-verify=false", "--authfile", authFile, $"docker://{registry.Host}/nothing:1"]);
            Assert.NotEqual(0, afterLogout.ExitCode);
            Assert.Contains("authentication required", afterLogout.Output, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            config.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Four_concurrent_logins_and_a_logout_keep_every_entry_in_repeated_runs()
    {
        var users = new Dictionary<string, string> { ["alice"] = "s3cret-pw" };
        var registries = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RegistryProcess.StartAsync(new RegistryProcessOptions { HtpasswdUsers = users })));
        using var home = new TempDirectory();
        try
        {
            var env = new Dictionary<string, string?> { ["DOCKER_CONFIG"] = home.Path };
            await File.WriteAllTextAsync(home["config.json"], """{"auths": {"old.example": {"auth": "dXNlcjpwYXNz"}}, "psFormat": "kept"}""");
            for (var round = 0; round < 3; round++)
            {
                var logins = registries.Select(r => CliTool.RunAsync(["login", r.Host, "-u", "alice", "--password-stdin"], env, "s3cret-pw\n"));
                var logout = CliTool.RunAsync(["logout", "old.example"], env);
                foreach (var result in await Task.WhenAll([.. logins, logout])) Assert.True(result.ExitCode == 0, result.ToString());

                using var document = JsonDocument.Parse(await File.ReadAllTextAsync(home["config.json"]));
                var auths = document.RootElement.GetProperty("auths").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
                Assert.Equal(registries.Select(r => r.Host).Order(StringComparer.Ordinal), auths);
                Assert.Equal("kept", document.RootElement.GetProperty("psFormat").GetString());
                foreach (var registry in registries) await CliTool.SucceedAsync(["logout", registry.Host], env);
            }
        }
        finally
        {
            foreach (var registry in registries) await registry.DisposeAsync();
        }
    }

    [Fact]
    public async Task Logout_through_a_helper_whose_erase_fails_warns_on_stderr_exits_0_and_cleans_the_file()
    {
        using var home = new TempDirectory();
        var bin = Directory.CreateDirectory(home["bin"]).FullName;
        // As docker-credential-ecr-login: erase is not implemented.
        var helper = Path.Combine(bin, "docker-credential-ecr");
        await File.WriteAllTextAsync(helper, "#!/bin/sh\ncat > /dev/null\necho 'not implemented'\nexit 1\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(helper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var config = Directory.CreateDirectory(home["docker"]).FullName;
        await File.WriteAllTextAsync(Path.Combine(config, "config.json"), """{"credHelpers": {"reg.example": "ecr"}, "auths": {"reg.example": {"auth": "dXNlcjpwbGFpbi1zZWNyZXQ="}}}""");
        var env = new Dictionary<string, string?> { ["DOCKER_CONFIG"] = config, ["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH") };

        var result = await CliTool.SucceedAsync(["logout", "reg.example"], env);

        Assert.Contains("dockerless: warning: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("not implemented", result.Error, StringComparison.Ordinal);
        Assert.Contains("removed credentials for reg.example", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Output);
        Assert.DoesNotContain("dXNlcjpwbGFpbi1zZWNyZXQ=", await File.ReadAllTextAsync(Path.Combine(config, "config.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbose_logs_each_request_without_the_credentials()
    {
        await using var registry = await RegistryProcess.StartAsync(new RegistryProcessOptions { HtpasswdUsers = new Dictionary<string, string> { ["alice"] = "s3cret-pw" } });
        using var config = new TempDirectory();
        var env = new Dictionary<string, string?> { ["DOCKER_CONFIG"] = config.Path };
        await CliTool.SucceedAsync(["login", registry.Host, "-u", "alice", "--password-stdin"], env, "s3cret-pw\n");
        var sample = Path.Combine(CliTool.RepositoryRoot, "samples", "hello");
        var result = await CliTool.SucceedAsync(["-v", "build", sample, "-t", $"{registry.Host}/app:1"], env);
        Assert.Contains($"/v2/app/manifests/1", result.Error, StringComparison.Ordinal);
        var basic = Convert.ToBase64String("alice:s3cret-pw"u8.ToArray());
        Assert.DoesNotContain("s3cret-pw", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(basic, result.Error, StringComparison.Ordinal);
    }

    /// <summary>As Docker Hub: the token endpoint takes the password, but no account's token covers the catalog.</summary>
    [Fact]
    public async Task Login_to_a_token_registry_that_refuses_the_catalog_checks_the_password_not_the_catalog()
    {
        await using var tokens = TokenServer.Start("bob", "tok-pass");
        tokens.GrantedActions = ["pull", "push"];
        await using var registry = await RegistryProcess.StartAsync(new RegistryProcessOptions { AuthYaml = tokens.RegistryAuthYaml });
        using var config = new TempDirectory();
        var env = new Dictionary<string, string?> { ["DOCKER_CONFIG"] = config.Path };
        Assert.NotEqual(0, (await CliTool.RunAsync(["catalog", registry.Host], env)).ExitCode);

        var wrong = await CliTool.RunAsync(["login", registry.Host, "-u", "bob", "--password-stdin"], env, "wrong-pw\n");
        Assert.False(File.Exists(config["config.json"]));
        await CliTool.SucceedAsync(["login", registry.Host, "-u", "bob", "--password-stdin"], env, "tok-pass\n");

        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("401", wrong.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(config["config.json"]));
        var sample = Path.Combine(CliTool.RepositoryRoot, "samples", "hello");
        await CliTool.SucceedAsync(["build", sample, "-t", $"{registry.Host}/app:1"], env);
    }

    [Fact]
    public async Task Login_with_a_wrong_password_fails_and_stores_nothing()
    {
        await using var registry = await RegistryProcess.StartAsync(new RegistryProcessOptions { HtpasswdUsers = new Dictionary<string, string> { ["alice"] = "s3cret-pw" } });
        using var config = new TempDirectory();
        var result = await CliTool.RunAsync(["login", registry.Host, "-u", "alice", "--password-stdin"], new Dictionary<string, string?> { ["DOCKER_CONFIG"] = config.Path }, "wrong-pw\n");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("dockerless: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-pw", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(config["config.json"]));
    }

    [Fact]
    public async Task Without_credentials_a_protected_registry_gives_a_one_line_unauthorized_error()
    {
        await using var registry = await RegistryProcess.StartAsync(new RegistryProcessOptions { HtpasswdUsers = new Dictionary<string, string> { ["alice"] = "s3cret-pw" } });
        using var config = new TempDirectory();
        var result = await CliTool.RunAsync(["digest", $"{registry.Host}/app:1"], new Dictionary<string, string?> { ["DOCKER_CONFIG"] = config.Path });
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("dockerless: ", line, StringComparison.Ordinal);
        Assert.Contains("unauthorized", line, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"{registry.Host}/app", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_without_a_password_on_stdin_is_a_usage_error()
    {
        var result = await CliTool.RunAsync(["login", "127.0.0.1:1", "-u", "alice", "--password-stdin"], new Dictionary<string, string?> { ["DOCKER_CONFIG"] = Path.GetTempPath() }, "");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no password on standard input", result.Error, StringComparison.Ordinal);
    }
}
