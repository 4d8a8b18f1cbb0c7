using System.Text;
using Dockerless.IntegrationTests.Cli;
using Dockerless.IntegrationTests.Distribution;
using Dockerless.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Dockerless.IntegrationTests.Reliability;

/// <summary>
/// Everything a run writes at the most verbose level (every log line, every error message and
/// stack) is searched for the password, the base64 Basic credentials and every bearer token
/// that actually went over the wire (seen at a proxy).
/// </summary>
public sealed class SecretsTests(ITestOutputHelper output)
{
    private const string User = "secret-user";
    private const string Password = "pw-9f1c8e77-NeverLogMe";

    [Fact]
    public async Task Basic_credentials_never_reach_logs_or_errors()
    {
        await using var server = await RegistryProcess.StartAsync(new RegistryProcessOptions { HtpasswdUsers = new Dictionary<string, string> { [User] = Password } });
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        var wire = RecordAuthorization(proxy);

        var text = await RunEverythingAsync(proxy.Address, RegistryCredential.FromPassword(User, Password));

        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        Assert.Contains($"Basic {basic}", wire);
        AssertClean(text, [Password, basic]);
    }

    [Fact]
    public async Task Bearer_credentials_and_tokens_never_reach_logs_or_errors()
    {
        await using var tokens = TokenServer.Start(User, Password);
        await using var server = await RegistryProcess.StartAsync(new RegistryProcessOptions { AuthYaml = tokens.RegistryAuthYaml });
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        var wire = RecordAuthorization(proxy);

        var text = await RunEverythingAsync(proxy.Address, RegistryCredential.FromPassword(User, Password));

        var bearers = wire.Where(a => a.StartsWith("Bearer ", StringComparison.Ordinal)).Select(a => a["Bearer ".Length..]).Distinct().ToList();
        Assert.NotEmpty(bearers);
        output.WriteLine($"{bearers.Count} distinct bearer tokens went over the wire");
        // A JWT's parts are searched too: its signature alone is enough to matter.
        AssertClean(text, [Password, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")), .. bearers, .. bearers.Select(b => b.Split('.')[^1])]);
    }

    [Fact]
    public async Task The_cli_with_verbose_logging_and_bearer_credentials_prints_no_secret()
    {
        await using var tokens = TokenServer.Start(User, Password);
        await using var server = await RegistryProcess.StartAsync(new RegistryProcessOptions { AuthYaml = tokens.RegistryAuthYaml });
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        var wire = RecordAuthorization(proxy);
        using var config = new TempDirectory();
        var env = new Dictionary<string, string?> { ["DOCKER_CONFIG"] = config.Path };
        var host = $"127.0.0.1:{proxy.Port}";
        var text = new StringBuilder();
        text.Append(await CliTool.SucceedAsync(["-v", "login", host, "-u", User, "--password-stdin"], env, Password + "\n"));
        text.Append(await CliTool.SucceedAsync(["-v", "build", Path.Combine(CliTool.RepositoryRoot, "samples", "hello"), "-t", $"{host}/cli/app:1"], env));
        text.Append(await CliTool.SucceedAsync(["-v", "copy", $"{host}/cli/app:1", $"{host}/cli/copy:1"], env));
        text.Append(await CliTool.SucceedAsync(["-v", "digest", $"{host}/cli/copy:1"], env));
        text.Append(await CliTool.RunAsync(["-v", "digest", $"{host}/cli/missing:1"], env));

        var bearers = wire.Where(a => a.StartsWith("Bearer ", StringComparison.Ordinal)).Select(a => a["Bearer ".Length..]).Distinct().ToList();
        Assert.NotEmpty(bearers);
        Assert.Contains("/v2/cli/app/manifests/1", text.ToString(), StringComparison.Ordinal);
        output.WriteLine($"{text.Length} characters of CLI output, {bearers.Count} bearer tokens on the wire");
        AssertClean(text.ToString(), [Password, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")), .. bearers, .. bearers.Select(b => b.Split('.')[^1])]);
    }

    private static List<string> RecordAuthorization(LoopbackProxy proxy)
    {
        var seen = new List<string>();
        proxy.Intercept = (context, _) =>
        {
            if (context.Request.Headers["Authorization"] is { } value) lock (seen) seen.Add(value);
            return Task.FromResult(false);
        };
        return seen;
    }

    /// <summary>Push, pull, copy, tag, list, a 404, a wrong password: every line logged and every error's full text.</summary>
    private async Task<string> RunEverythingAsync(string address, RegistryCredential credential)
    {
        var logger = new CapturingLogger();
        var errors = new StringBuilder();
        var options = new RegistryOptions { Address = address, Credential = credential, Logger = logger, MaxRetries = 0 };
        await using (var registry = new Registry(options))
        await using (var image = await RegistryRoundTripTests.SmallImageAsync("secrets/app"))
        {
            await registry.PushImageAsync(image);
            await using (await registry.PullImageAsync("secrets/app", "v1")) { }
            await registry.CopyAsync("secrets/app:v1", "secrets/copy:v1");
            await registry.TagAsync("secrets/app", "v1", "v2");
            await registry.ListTagsAsync("secrets/app");
            await Capture(errors, () => registry.PullImageAsync("secrets/app", "missing"));
            errors.AppendLine(registry.ToString()).AppendLine(options.ToString()).AppendLine(credential.ToString());
        }
        await using (var wrong = new Registry(options with { Credential = RegistryCredential.FromPassword(User, Password + "-wrong") }))
        {
            await Capture(errors, () => wrong.PullImageAsync("secrets/app", "v1"));
        }
        output.WriteLine($"{logger.Lines.Count} log lines, {errors.Length} characters of errors");
        return string.Join('\n', logger.Lines) + "\n" + errors;
    }

    private static async Task Capture(StringBuilder errors, Func<Task<Image>> action)
    {
        try
        {
            await using (await action()) { }
        }
        catch (DockerlessException e)
        {
            errors.AppendLine(e.ToString());
        }
    }

    private static void AssertClean(string text, IEnumerable<string> secrets)
    {
        foreach (var secret in secrets.Where(s => s.Length >= 8))
        {
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"a secret ({secret[..4]}...) appears in the logs or errors");
        }
    }
}
