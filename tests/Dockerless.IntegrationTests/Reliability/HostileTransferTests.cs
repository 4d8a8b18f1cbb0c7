using System.Text.Json;
using Dockerless.IntegrationTests.Cli;
using Dockerless.IntegrationTests.Distribution;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Reliability;

/// <summary>
/// A real registry behind a loopback proxy that answers as a misbehaving registry would: lying
/// lengths, a moving tag, endless pages, a drip. Each ends correct or in an error naming where.
/// </summary>
public sealed class HostileTransferTests
{
    [Fact]
    public async Task A_body_announcing_more_than_the_blob_is_verified_once_all_its_bytes_arrived_not_asked_for_again()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        await using var registry = new Registry(proxy.Address);
        await using var image = await RegistryRoundTripTests.SmallImageAsync("lying/app");
        await registry.PushImageAsync(image);
        proxy.Intercept = async (context, p) =>
        {
            if (context.Request.HttpMethod != "GET" || !context.Request.Url!.AbsolutePath.Contains("/blobs/", StringComparison.Ordinal)) return false;
            await HostileAnswers.LyingContentLengthAsync(context, p, extra: 1000);
            return true;
        };

        await using var pulled = await registry.PullImageAsync(ImageReference.Parse($"{new Uri(proxy.Address).Authority}/lying/app:v1"));

        Assert.Equal(image.Layers.Select(l => l.Digest), pulled.Layers.Select(l => l.Digest));
        var blobGets = proxy.Requests.Where(r => r.Method == "GET" && r.PathAndQuery.Contains("/blobs/", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, blobGets.Count); // two layers and the config, each asked for once
    }

    [Fact]
    public async Task Inspect_of_a_tag_that_moves_between_requests_describes_one_manifest()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using (var direct = new Registry($"http://{server.Host}"))
        {
            await using var a = await RegistryRoundTripTests.SmallImageAsync("flip/app", "a", "image a");
            await direct.PushImageAsync(a);
            await using var b = await RegistryRoundTripTests.SmallImageAsync("flip/app", "b", "image b");
            await direct.PushImageAsync(b);
        }
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        proxy.Intercept = HostileAnswers.FlippingTag("/v2/flip/app/manifests/v1", "a", "b");
        var host = new Uri(proxy.Address).Authority;

        for (var round = 0; round < 4; round++)
        {
            var result = await CliTool.SucceedAsync(["inspect", $"{host}/flip/app:v1", "--insecure", host]);
            using var inspected = JsonDocument.Parse(result.Output);
            var digest = inspected.RootElement.GetProperty("Digest").GetString()!;
            var layers = inspected.RootElement.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()).ToList();
            await using var direct = new Registry($"http://{server.Host}");
            var manifest = await direct.GetManifestAsync("flip/app", digest);
            Assert.Equal(manifest.Manifest!.Layers.Select(l => l.Digest.ToString()), layers);
        }
    }

    [Fact]
    public async Task A_registry_that_drips_fails_the_pull_below_the_minimum_speed_naming_blob_and_registry()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        await using (var direct = new Registry($"http://{server.Host}"))
        {
            await using var image = await RegistryRoundTripTests.SmallImageAsync("drip/app");
            await direct.PushImageAsync(image);
        }
        proxy.Intercept = async (context, p) =>
        {
            if (context.Request.HttpMethod != "GET" || !context.Request.Url!.AbsolutePath.Contains("/blobs/", StringComparison.Ordinal)) return false;
            await HostileAnswers.DripAsync(context, p, bytes: 2, every: TimeSpan.FromMilliseconds(100), limit: TimeSpan.FromSeconds(30));
            return true;
        };
        await using var registry = new Registry(new RegistryOptions { Address = proxy.Address, MinimumSpeed = 1000, SpeedWindow = TimeSpan.FromSeconds(2) });
        var started = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RegistryException>(() => registry.PullImageAsync(ImageReference.Parse($"{new Uri(proxy.Address).Authority}/drip/app:v1")));

        Assert.InRange(started.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(15));
        Assert.Contains("below the minimum of 1000 bytes/s", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{new Uri(proxy.Address).Authority}/drip/app", error.Message, StringComparison.Ordinal);
        Assert.Contains("blob sha256:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_timeout_option_ends_a_dripping_pull_and_leaves_no_output()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        await using (var direct = new Registry($"http://{server.Host}"))
        {
            await using var image = await RegistryRoundTripTests.SmallImageAsync("drip/app");
            await direct.PushImageAsync(image);
        }
        proxy.Intercept = async (context, p) =>
        {
            if (context.Request.HttpMethod != "GET" || !context.Request.Url!.AbsolutePath.Contains("/blobs/", StringComparison.Ordinal)) return false;
            await HostileAnswers.DripAsync(context, p, bytes: 2, every: TimeSpan.FromMilliseconds(500), limit: TimeSpan.FromSeconds(30));
            return true;
        };
        using var dir = new TempDirectory();
        var host = new Uri(proxy.Address).Authority;

        var result = await CliTool.RunAsync(["pull", $"{host}/drip/app:v1", $"docker-archive:{dir["out.tar"]}", "--insecure", host, "--timeout", "3s"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("dockerless: timed out: the command ran longer than --timeout 3s", result.Error.Trim());
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task Endless_tag_pages_stop_at_the_page_bound_after_streaming_what_came_saying_where()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        proxy.Intercept = async (context, p) =>
        {
            if (!context.Request.Url!.AbsolutePath.EndsWith("/tags/list", StringComparison.Ordinal)) return false;
            await HostileAnswers.EndlessPageAsync(context, p, "tags", entries: 50);
            return true;
        };
        await using var registry = new Registry(new RegistryOptions { Address = proxy.Address, MaxListPages = 20 });

        var streamed = 0;
        var error = await Assert.ThrowsAsync<RegistryException>(async () =>
        {
            await foreach (var tag in registry.EnumerateTagsAsync("endless/app")) streamed++;
        });

        Assert.Equal(1000, streamed);
        Assert.Contains("stopped after 20 pages and 1000 entries (at most 20 pages are read); the registry's Link still leads on to", error.Message, StringComparison.Ordinal);
        Assert.Contains("leads on to http://127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.Contains("/v2/endless/app/tags/list", error.Message, StringComparison.Ordinal);
        Assert.Equal(20, proxy.Requests.Count);

        await using var bounded = new Registry(new RegistryOptions { Address = proxy.Address, MaxListEntries = 120 });
        var entries = await Assert.ThrowsAsync<RegistryException>(() => bounded.ListTagsAsync("endless/app"));
        Assert.Contains("stopped after 120 entries in 3 pages (at most 120 are read)", entries.Message, StringComparison.Ordinal);
    }
}
