using System.Net;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Cli;

/// <summary>
/// Plain HTTP for a registry that is not on loopback by its name: refused unless the registry is
/// marked insecure, as with docker's insecure-registries and crane's --insecure. The machine's host
/// name stands in for a remote name: it is neither localhost nor a loopback address, yet it reaches
/// the registry, which listens on loopback only.
/// </summary>
public sealed class PlainHttpFallbackTests
{
    /// <summary>This machine's host name, which must resolve to 127.0.0.1 (scripts/install-peers.sh makes sure it does).</summary>
    private static string LoopbackHostName()
    {
        var name = Dns.GetHostName();
        Assert.False(name == "localhost" || IPAddress.TryParse(name, out _), $"the host name \"{name}\" is a loopback name already");
        Assert.True(Dns.GetHostAddresses(name).Contains(IPAddress.Loopback),
            $"the host name \"{name}\" does not resolve to 127.0.0.1: run scripts/install-peers.sh as root, or add \"127.0.0.1 {name}\" to /etc/hosts");
        return name;
    }

    [Fact]
    public async Task A_registry_named_by_host_name_is_reached_over_plain_http_only_when_marked_insecure()
    {
        await using var server = await RegistryProcess.StartAsync();
        var host = $"{LoopbackHostName()}:{server.Port}";
        Digest pushed;
        await using (var image = await Distribution.RegistryRoundTripTests.SmallImageAsync("app"))
        await using (var direct = new Registry($"http://{server.Host}"))
        {
            pushed = await direct.PushImageAsync(image);
        }

        await using (var secure = new Registry(new RegistryOptions { Address = host, MaxRetries = 0 }))
        {
            var refused = await Assert.ThrowsAsync<RegistryException>(() => secure.GetDigestAsync("app", "v1"));
            Assert.Contains("SSL", refused.ToString(), StringComparison.Ordinal);
        }
        await using (var insecure = new Registry(new RegistryOptions { Address = host, Insecure = true }))
        {
            Assert.Equal(pushed, await insecure.GetDigestAsync("app", "v1"));
            await using var copy = await Distribution.RegistryRoundTripTests.SmallImageAsync("copy", text: "over plain http");
            await insecure.PushImageAsync(copy);
        }
        Assert.Contains("\"PUT /v2/copy/manifests/v1 HTTP/1.1\" 201", string.Join('\n', await server.AccessLogAsync()), StringComparison.Ordinal);

        var cliRefused = await CliTool.RunAsync("ls", $"{host}/app");
        Assert.Equal(1, cliRefused.ExitCode);
        Assert.Single(cliRefused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("v1", (await CliTool.SucceedAsync(["--insecure", host, "ls", $"{host}/app"])).Output.Trim());
    }
}
