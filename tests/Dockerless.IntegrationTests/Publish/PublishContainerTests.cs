using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Publish;

/// <summary>
/// <c>dotnet publish -t:PublishContainer</c> with the packed Dockerless.Build package on the
/// samples (a console app and an ASP.NET Core app, each with a NuGet package and a project
/// reference), against the real registry and dockerd, and side by side with the SDK's own target.
/// </summary>
[Collection(DockerDaemonTests.Name)]
public sealed partial class PublishContainerTests(DockerDaemon docker, PublishFixture fixture) : IClassFixture<PublishFixture>
{
    private string Host => fixture.Registry.Host;

    /// <summary>
    /// The properties of a push of <paramref name="project"/> to the test registry. PathMap maps the
    /// copy's directory to <c>/src</c>: without it the compiler writes the checkout's absolute path
    /// into the .dll and .pdb, and two copies give two app layers.
    /// </summary>
    private string[] ToRegistry(string project, string baseImage, string tag)
        => [$"ContainerRegistry={Host}", $"ContainerBaseImage={baseImage}", $"ContainerImageTag={tag}", $"PathMap={Path.GetDirectoryName(project)}=/src"];

    [Fact]
    public async Task The_console_app_runs_is_reproducible_and_a_code_change_uploads_only_its_layer()
    {
        var a = Path.Combine(fixture.CopySamples(), "ConsoleApp");
        var b = Path.Combine(fixture.CopySamples(), "ConsoleApp");
        var first = PublishFixture.DigestIn(await fixture.PublishAsync(a, ToRegistry(a, fixture.RuntimeBase, "a")));
        Assert.Equal(first, PublishFixture.DigestIn(await fixture.PublishAsync(b, ToRegistry(b, fixture.RuntimeBase, "b"))));

        var manifest = await ManifestAsync("samples/console:a");
        Assert.Equal(5, manifest.Layers.Count);
        var history = (await ConfigAsync("samples/console:a")).History.Select(h => h.CreatedBy).ToList();
        Assert.Equal(["Dockerless.Build: packages layer", "Dockerless.Build: projects layer", "Dockerless.Build: resources layer", "Dockerless.Build: app layer"], history[^4..]);
        var output = await docker.RunAsync("run", "--rm", "--network", "host", $"{Host}/samples/console:a");
        Assert.Contains("\"Text\":\"Hello, console, from a Dockerless image\",\"Mode\":\"container\"", output, StringComparison.Ordinal);

        var logged = (await fixture.Registry.AccessLogAsync()).Count;
        var again = await fixture.PublishAsync(a, ToRegistry(a, fixture.RuntimeBase, "a"));
        Assert.Contains("is up to date", again, StringComparison.Ordinal);
        Assert.Equal(first, PublishFixture.DigestIn(again));
        Assert.Empty(UploadedDigests((await fixture.Registry.AccessLogAsync()).Skip(logged)));

        var program = Path.Combine(a, "Program.cs");
        await File.WriteAllTextAsync(program, (await File.ReadAllTextAsync(program)).Replace("Greet(\"console\")", "Greet(\"changed console\")", StringComparison.Ordinal));
        logged = (await fixture.Registry.AccessLogAsync()).Count;
        var changed = PublishFixture.DigestIn(await fixture.PublishAsync(a, ToRegistry(a, fixture.RuntimeBase, "a")));
        Assert.NotEqual(first, changed);
        var after = await ManifestAsync("samples/console:a");
        Assert.Equal(manifest.Layers.Take(4).Select(l => l.Digest), after.Layers.Take(4).Select(l => l.Digest));
        Assert.Equal(new HashSet<string> { after.Layers[4].Digest.ToString(), after.Config.Digest.ToString() }, UploadedDigests((await fixture.Registry.AccessLogAsync()).Skip(logged)));
        Assert.Contains("changed console", await docker.RunAsync("run", "--rm", "--pull", "always", "--network", "host", $"{Host}/samples/console:a"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_web_app_serves_its_page()
    {
        var web = Path.Combine(fixture.CopySamples(), "WebApp");
        await fixture.PublishAsync(web, ToRegistry(web, fixture.AspNetBase, "1"));
        var config = await ConfigAsync("samples/web:1");
        Assert.Contains("8080/tcp", config.Config.ExposedPorts);
        var port = FreePort();
        await docker.RunAsync("pull", $"{Host}/samples/web:1");
        var container = (await docker.RunAsync("run", "-d", "--network", "host", "-e", $"ASPNETCORE_HTTP_PORTS={port}", $"{Host}/samples/web:1")).Trim().Split('\n')[^1];
        try
        {
            using var client = new HttpClient();
            string? page = null;
            for (var attempt = 0; page is null && attempt < 100; attempt++)
            {
                try
                {
                    page = await client.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"));
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(200);
                }
            }
            if (page is null) Assert.Fail($"the web app did not answer:\n{(await docker.TryRunAsync("logs", container)).Output}");
            Assert.Contains("Hello, web, from a Dockerless image", page, StringComparison.Ordinal);
        }
        finally
        {
            await docker.TryRunAsync("rm", "-f", container);
        }
    }

    /// <summary>
    /// The SDK's own PublishContainer (brought back with DockerlessPublishContainer=false) on the
    /// same project and base writes the same config: environment, entrypoint, command, working
    /// directory, user, ports, platform and labels, all but the created times (the SDK's are the
    /// clock's, ours SOURCE_DATE_EPOCH's or the epoch). The SDK puts the app in one layer.
    /// </summary>
    [Fact]
    public async Task The_config_matches_what_the_sdks_own_target_writes()
    {
        var console = Path.Combine(fixture.CopySamples(), "ConsoleApp");
        await fixture.PublishAsync(console, ToRegistry(console, fixture.RuntimeBase, "ours"));
        var sdkOutput = await fixture.PublishAsync(console, [.. ToRegistry(console, fixture.RuntimeBase, "sdk"), "DockerlessPublishContainer=false"],
            new Dictionary<string, string> { ["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = Host });
        Assert.DoesNotContain("Dockerless", sdkOutput, StringComparison.Ordinal);
        var ours = await ConfigAsync("samples/console:ours");
        var sdk = await ConfigAsync("samples/console:sdk");
        Assert.Equal(sdk.Config.Env, ours.Config.Env);
        Assert.Equal(sdk.Config.Entrypoint, ours.Config.Entrypoint);
        Assert.Equal(sdk.Config.Cmd, ours.Config.Cmd);
        Assert.Equal(sdk.Config.WorkingDir, ours.Config.WorkingDir);
        Assert.Equal(sdk.Config.User, ours.Config.User);
        Assert.Equal(sdk.Config.ExposedPorts.Order(), ours.Config.ExposedPorts.Order());
        Assert.Equal(sdk.Platform, ours.Platform);
        string[] clock = ["org.opencontainers.image.created", "org.opencontainers.artifact.created"];
        Assert.Equal(sdk.Config.Labels.Where(l => !clock.Contains(l.Key)).OrderBy(l => l.Key), ours.Config.Labels.Where(l => !clock.Contains(l.Key)).OrderBy(l => l.Key));
        Assert.All(clock, key => Assert.True(sdk.Config.Labels.ContainsKey(key) && ours.Config.Labels.ContainsKey(key), key));
        Assert.Equal(2, (await ManifestAsync("samples/console:sdk")).Layers.Count);
    }

    /// <summary>
    /// A base with zstd layers (which the SDK refuses for archives, dotnet/sdk #52244) is built on:
    /// skopeo copies the result, checking every blob's digest (oci-image-tool 1.0 does not know the
    /// zstd media type, and dockerd 20.10 cannot unpack it).
    /// </summary>
    [Fact]
    public async Task A_base_with_zstd_layers_is_built_on()
    {
        var console = Path.Combine(fixture.CopySamples(), "ConsoleApp");
        await fixture.PublishAsync(console, ToRegistry(console, $"{Host}/dotnet/runtime:10.0-zstd", "zstd"));
        var manifest = await ManifestAsync("samples/console:zstd");
        Assert.Equal(MediaTypes.OciLayerZstd, manifest.Layers[0].MediaType);
        var layout = Path.Combine(Path.GetDirectoryName(console)!, "zstd-layout");
        await Peer.RunAsync("skopeo", ["copy", "--src-tls-verify=false", $"docker://{Host}/samples/console:zstd", $"oci:{layout}:zstd"]);
        Assert.Equal(manifest.Layers.Count, Directory.GetFiles(Path.Combine(layout, "blobs", "sha256")).Length - 2);
    }

    /// <summary>ContainerArchiveOutputPath writes a docker-archive that docker loads and runs; with neither it nor a registry, the image goes into docker itself.</summary>
    [Fact]
    public async Task Archives_and_the_local_docker_get_the_image()
    {
        var console = Path.Combine(fixture.CopySamples(), "ConsoleApp");
        var archive = Path.Combine(Path.GetDirectoryName(console)!, "out", "console.tar");
        var output = await fixture.PublishAsync(console, [$"ContainerBaseImage={fixture.RuntimeBase}", $"ContainerArchiveOutputPath={archive}", "ContainerRepository=archived/console", "ContainerImageTag=1"]);
        Assert.Contains($"to local archive at '{archive}'", output, StringComparison.Ordinal);
        await docker.RunAsync("load", "-i", archive);
        Assert.Contains("Hello, console", await docker.RunAsync("run", "--rm", "--network", "none", "archived/console:1"), StringComparison.Ordinal);

        await fixture.PublishAsync(console, [$"ContainerBaseImage={fixture.RuntimeBase}", "ContainerRepository=local/console", "ContainerImageTag=1", "LocalRegistry=Docker"], docker.Environment);
        Assert.Contains("Hello, console", await docker.RunAsync("run", "--rm", "--network", "none", "local/console:1"), StringComparison.Ordinal);
    }

    /// <summary>
    /// Two runtime identifiers give one index of two images, each from its own publish; the
    /// linux/amd64 one runs. The SBOM lists the NuGet package with its purl and NuGet's SHA-512.
    /// </summary>
    [Fact]
    public async Task Several_runtime_identifiers_give_one_index_and_an_sbom_each()
    {
        var console = Path.Combine(fixture.CopySamples(), "ConsoleApp");
        var output = await fixture.PublishAsync(console, [.. ToRegistry(console, $"{Host}/dotnet/runtime:10.0-multi", "multi"),
            "RuntimeIdentifiers=\"linux-x64;linux-arm64\"", "UseAppHost=false", "ContainerGenerateSbom=true"]);
        await using var registry = new Registry(Host);
        var index = (await registry.GetManifestAsync(ImageReference.Parse($"{Host}/samples/console:multi"))).Index!;
        Assert.Equal(["linux/amd64", "linux/arm64"], index.Manifests.Select(m => m.Platform!.ToString()).Order(StringComparer.Ordinal));
        var arm = await registry.GetConfigAsync(ImageReference.Parse($"{Host}/samples/console:multi"), Platform.Parse("linux/arm64"));
        Assert.Equal("arm64", arm.Architecture);
        Assert.Contains("Hello, console", await docker.RunAsync("run", "--rm", "--pull", "always", "--network", "host", $"{Host}/samples/console:multi"), StringComparison.Ordinal);
        var sbom = Directory.GetFiles(Path.Combine(console, "obj"), "samples-console.spdx.json", SearchOption.AllDirectories);
        Assert.Equal(2, sbom.Length);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(sbom[0]));
        Assert.Equal("SPDX-2.3", document.RootElement.GetProperty("spdxVersion").GetString());
        var newtonsoft = document.RootElement.GetProperty("packages").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "Newtonsoft.Json");
        Assert.Equal("pkg:nuget/Newtonsoft.Json@13.0.3", newtonsoft.GetProperty("externalRefs")[0].GetProperty("referenceLocator").GetString());
        Assert.Equal(128, newtonsoft.GetProperty("checksums")[0].GetProperty("checksumValue").GetString()!.Length);
        Assert.Contains("attaching it to the image as an OCI referrer is not done yet", output, StringComparison.Ordinal);
    }

    /// <summary>A bad property is an MSBuild error with its DLB code naming it, never a stack trace.</summary>
    [Fact]
    public async Task A_bad_tag_is_an_error_with_its_code()
    {
        var console = Path.Combine(fixture.CopySamples(), "ConsoleApp");
        var (exitCode, output) = await Peer.TryRunAsync(Cli.CliTool.DotnetPath, ["publish", console, "-t:PublishContainer", "-c", "Release", "-nodeReuse:false",
            $"-p:DockerlessSource={fixture.PackageSource}", $"-p:DockerlessVersion={fixture.Version}", $"-p:ContainerBaseImage={fixture.RuntimeBase}", $"-p:ContainerRegistry={Host}",
            "-p:ContainerImageTag=no:colons"]);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("error DLB0003: ContainerRepository 'samples/console' with tag 'no:colons' is not a valid image reference", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    private async Task<ImageManifest> ManifestAsync(string reference)
    {
        await using var registry = new Registry(Host);
        return (await registry.GetManifestAsync(ImageReference.Parse($"{Host}/{reference}"))).Manifest!;
    }

    private async Task<ImageConfiguration> ConfigAsync(string reference)
    {
        await using var registry = new Registry(Host);
        return await registry.GetConfigAsync(ImageReference.Parse($"{Host}/{reference}"));
    }

    /// <summary>The digests of the blobs whose uploads completed (PUT .../blobs/uploads/...?digest=) in <paramref name="log"/>.</summary>
    private static HashSet<string> UploadedDigests(IEnumerable<string> log)
        => [.. log.Where(l => l.Contains("\"PUT /v2/", StringComparison.Ordinal) && l.Contains("/blobs/uploads/", StringComparison.Ordinal))
            .Select(l => UploadDigest().Match(l)).Where(m => m.Success).Select(m => "sha256:" + m.Groups[1].Value)];

    [GeneratedRegex(@"digest=sha256(?::|%3[Aa])([0-9a-f]{64})")]
    private static partial Regex UploadDigest();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
