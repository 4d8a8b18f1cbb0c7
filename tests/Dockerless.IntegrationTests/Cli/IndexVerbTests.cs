using System.Text;
using System.Text.Json;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Cli;

/// <summary>
/// <c>index create|add|remove|ls</c> and <c>append</c>/<c>mutate --platform</c> on an index, through
/// the built tool against the real registry, read back by skopeo, docker manifest and oci-image-tool.
/// </summary>
public sealed class IndexVerbTests
{
    /// <summary>Pushes a one-layer scratch image of <paramref name="platform"/> as REPO:TAG; returns its layer's digest.</summary>
    internal static async Task<Digest> PushAsync(Registry client, string reference, string platform)
    {
        await using var image = Image.Scratch("", "latest", Platform.Parse(platform));
        image.AddLayer(await TempLayer.CreateAsync(new Dictionary<string, byte[]> { ["/platform"] = Encoding.UTF8.GetBytes(platform) }));
        await client.PushImageAsync(image, ImageReference.Parse(reference));
        return image.Layers[0].Digest;
    }

    internal static async Task<JsonElement> RawAsync(string location)
    {
        using var document = JsonDocument.Parse(await Peer.RunAsync("skopeo", ["inspect", "--tls-verify=false", "--raw", location]));
        return document.RootElement.Clone();
    }

    internal static Dictionary<string, string> DigestsByPlatform(JsonElement index)
        => index.GetProperty("manifests").EnumerateArray().ToDictionary(
            m => Platform.Parse(PlatformOf(m)).ToString(), m => m.GetProperty("digest").GetString()!, StringComparer.Ordinal);

    private static string PlatformOf(JsonElement entry)
    {
        var platform = entry.GetProperty("platform");
        var text = $"{platform.GetProperty("os").GetString()}/{platform.GetProperty("architecture").GetString()}";
        return platform.TryGetProperty("variant", out var variant) ? $"{text}/{variant.GetString()}" : text;
    }

    /// <summary>The access log's lines that downloaded one of <paramref name="blobs"/>.</summary>
    internal static async Task<List<string>> DownloadsAsync(RegistryProcess registry, IEnumerable<Digest> blobs)
        => [.. (await registry.AccessLogAsync()).Where(l => l.Contains("\"GET /v2/", StringComparison.Ordinal) && blobs.Any(b => l.Contains("/blobs/" + b, StringComparison.Ordinal)))];

    [Fact]
    public async Task Index_create_from_registry_and_layout_images_downloads_no_layer_and_peers_read_it()
    {
        await using var registry = await RegistryProcess.StartAsync();
        await using var client = new Registry($"http://{registry.Host}");
        using var dir = new TempDirectory();
        var layers = new List<Digest>
        {
            await PushAsync(client, $"{registry.Host}/app:amd64", "linux/amd64"),
            await PushAsync(client, $"{registry.Host}/app:arm64", "linux/arm64"),
        };
        await using (var v7 = Image.Scratch("app", "v7", Platform.Parse("linux/arm/v7")))
        {
            v7.AddLayer(await TempLayer.CreateAsync(new Dictionary<string, byte[]> { ["/platform"] = "linux/arm/v7"u8.ToArray() }));
            await v7.WriteOciLayoutAsync(dir["layout"]);
        }
        var singles = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["linux/amd64"] = (await RawDigestAsync($"docker://{registry.Host}/app:amd64")),
            ["linux/arm64"] = (await RawDigestAsync($"docker://{registry.Host}/app:arm64")),
            ["linux/arm/v7"] = (await RawDigestAsync($"oci:{dir["layout"]}:v7")),
        };

        await CliTool.SucceedAsync(["index", "create", $"{registry.Host}/multi:1", $"{registry.Host}/app:amd64", $"docker://{registry.Host}/app:arm64",
            $"oci:{dir["layout"]}:v7", "--annotation", "org.opencontainers.image.description=three platforms"]);

        Assert.Empty(await DownloadsAsync(registry, layers));
        var index = await RawAsync($"docker://{registry.Host}/multi:1");
        Assert.Equal(MediaTypes.OciIndex, index.GetProperty("mediaType").GetString());
        Assert.Equal(singles, DigestsByPlatform(index));
        Assert.Equal("three platforms", index.GetProperty("annotations").GetProperty("org.opencontainers.image.description").GetString());
        var docker = JsonDocument.Parse(await Peer.RunAsync("docker", ["manifest", "inspect", "--insecure", $"{registry.Host}/multi:1"])).RootElement;
        Assert.Equal(singles, DigestsByPlatform(docker));
        await Peer.RunAsync("skopeo", ["copy", "--all", "--src-tls-verify=false", $"docker://{registry.Host}/multi:1", $"oci:{dir["skopeo"]}:v1"]);
        await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", "--ref", "name=v1", dir["skopeo"]]);

        var listed = JsonDocument.Parse((await CliTool.SucceedAsync(["--json", "index", "ls", $"{registry.Host}/multi:1"])).Output).RootElement;
        Assert.Equal(singles.Values.Order(), listed.EnumerateArray().Select(e => e.GetProperty("digest").GetString()!).Order());
        Assert.Equal(singles.Keys.Order(), listed.EnumerateArray().Select(e => e.GetProperty("platform").GetString()!).Order());
        var lines = (await CliTool.SucceedAsync(["index", "ls", $"{registry.Host}/multi:1"])).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith($"{singles["linux/arm/v7"]}\tlinux/arm/v7\t{MediaTypes.OciManifest}\t", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Index_remove_add_and_a_layout_destination_keep_the_other_manifests()
    {
        await using var registry = await RegistryProcess.StartAsync();
        await using var client = new Registry($"http://{registry.Host}");
        using var dir = new TempDirectory();
        foreach (var arch in new[] { "amd64", "arm64", "s390x" }) await PushAsync(client, $"{registry.Host}/app:{arch}", $"linux/{arch}");
        await CliTool.SucceedAsync(["index", "create", $"{registry.Host}/multi:1", $"{registry.Host}/app:amd64", $"{registry.Host}/app:arm64", $"{registry.Host}/app:s390x"]);
        var all = DigestsByPlatform(await RawAsync($"docker://{registry.Host}/multi:1"));

        await CliTool.SucceedAsync(["index", "remove", $"{registry.Host}/multi:1", "--platform", "linux/arm64"]);
        var removed = DigestsByPlatform(await RawAsync($"docker://{registry.Host}/multi:1"));
        Assert.Equal(Sorted(all.Where(p => p.Key != "linux/arm64")), Sorted(removed));

        await CliTool.SucceedAsync(["index", "add", $"{registry.Host}/multi:1", $"{registry.Host}/app:arm64"]);
        Assert.Equal(Sorted(all), Sorted(DigestsByPlatform(await RawAsync($"docker://{registry.Host}/multi:1"))));

        // An index as a source gives all its platforms; a docker-archive cannot hold an index.
        await CliTool.SucceedAsync(["index", "create", $"{registry.Host}/copy:1", $"{registry.Host}/multi:1"]);
        Assert.Equal(Sorted(all), Sorted(DigestsByPlatform(await RawAsync($"docker://{registry.Host}/copy:1"))));
        var archive = await CliTool.RunAsync(["index", "create", $"docker-archive:{dir["x.tar"]}", $"{registry.Host}/app:amd64"]);
        Assert.Equal(2, archive.ExitCode);
        Assert.Contains("an index goes only to a registry or an OCI layout", archive.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir["x.tar"]));

        var duplicate = await CliTool.RunAsync(["index", "add", $"{registry.Host}/multi:1", $"{registry.Host}/app:amd64"]);
        Assert.Equal(1, duplicate.ExitCode);
        Assert.Contains("two images of platform linux/amd64", duplicate.Error, StringComparison.Ordinal);
        Assert.Contains($"{registry.Host}/app:amd64", duplicate.Error, StringComparison.Ordinal);
        var last = await CliTool.RunAsync(["index", "remove", $"{registry.Host}/app:amd64", "--platform", "linux/amd64"]);
        Assert.Contains("holds a single image, not an index", last.Error, StringComparison.Ordinal);

        // Into an OCI layout (the layers downloaded now), then edited there in place.
        await CliTool.SucceedAsync(["index", "create", $"oci:{dir["layout"]}:v1", $"{registry.Host}/app:amd64", $"{registry.Host}/app:s390x"]);
        await CliTool.SucceedAsync(["index", "add", $"oci:{dir["layout"]}:v1", $"{registry.Host}/app:arm64"]);
        await CliTool.SucceedAsync(["index", "remove", $"oci:{dir["layout"]}:v1", "--platform", "linux/s390x"]);
        await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", "--ref", "name=v1", dir["layout"]]);
        var layout = DigestsByPlatform(await RawAsync($"oci:{dir["layout"]}:v1"));
        Assert.Equal(Sorted(all.Where(p => p.Key != "linux/s390x")), Sorted(layout));
    }

    [Fact]
    public async Task Append_and_mutate_with_platform_change_the_chosen_platforms_of_a_five_platform_index_lazily()
    {
        await using var registry = await RegistryProcess.StartAsync();
        await using var client = new Registry($"http://{registry.Host}");
        using var dir = new TempDirectory();
        string[] platforms = ["linux/amd64", "linux/arm64", "linux/arm/v7", "linux/ppc64le", "linux/s390x"];
        var layers = new List<Digest>();
        foreach (var platform in platforms) layers.Add(await PushAsync(client, $"{registry.Host}/app:{platform.Replace('/', '-')}", platform));
        await CliTool.SucceedAsync(["index", "create", $"{registry.Host}/multi:5", .. platforms.Select(p => $"{registry.Host}/app:{p.Replace('/', '-')}")]);
        var before = DigestsByPlatform(await RawAsync($"docker://{registry.Host}/multi:5"));
        await File.WriteAllBytesAsync(dir["app.conf"], new byte[1024]);

        await CliTool.SucceedAsync(["append", $"{registry.Host}/multi:5", "-t", $"{registry.Host}/multi:appended", "--platform", "all", "--layer", $"{dir["app.conf"]}:/etc"]);
        await CliTool.SucceedAsync(["mutate", $"{registry.Host}/multi:5", "-t", $"{registry.Host}/multi:mutated", "--platform", "linux/arm64,linux/s390x", "--env", "MODE=prod"]);

        Assert.Empty(await DownloadsAsync(registry, layers));
        var appended = DigestsByPlatform(await RawAsync($"docker://{registry.Host}/multi:appended"));
        Assert.Equal(before.Keys.Order(), appended.Keys.Order());
        Assert.All(appended, p => Assert.NotEqual(before[p.Key], p.Value));
        foreach (var platform in platforms)
        {
            using var manifest = JsonDocument.Parse(await Peer.RunAsync("skopeo", ["inspect", "--tls-verify=false", "--raw", $"docker://{registry.Host}/multi@{appended[platform]}"]));
            Assert.Equal(2, manifest.RootElement.GetProperty("layers").GetArrayLength());
        }
        var mutated = DigestsByPlatform(await RawAsync($"docker://{registry.Host}/multi:mutated"));
        Assert.Equal(["linux/arm64", "linux/s390x"], mutated.Where(p => before[p.Key] != p.Value).Select(p => p.Key).Order());
        using var config = JsonDocument.Parse(await Peer.RunAsync("skopeo", ["inspect", "--tls-verify=false", "--config", $"docker://{registry.Host}/multi@{mutated["linux/s390x"]}"]));
        Assert.Contains("MODE=prod", config.RootElement.GetProperty("config").GetProperty("Env").EnumerateArray().Select(e => e.GetString()));
        await Peer.RunAsync("skopeo", ["copy", "--all", "--src-tls-verify=false", $"docker://{registry.Host}/multi:appended", $"oci:{dir["copy"]}:v1"]);
        await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", "--ref", "name=v1", dir["copy"]]);

        // A platform the index lacks is named with those it has; without --platform, the host's image alone, as before.
        var missing = await CliTool.RunAsync(["mutate", $"{registry.Host}/multi:5", "-t", $"{registry.Host}/multi:x", "--platform", "linux/riscv64", "--env", "A=1"]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no image for platform linux/riscv64; it has linux/amd64", missing.Error, StringComparison.Ordinal);
        await CliTool.SucceedAsync(["mutate", $"{registry.Host}/multi:5", "-t", $"{registry.Host}/multi:host", "--env", "A=1"]);
        Assert.False((await RawAsync($"docker://{registry.Host}/multi:host")).TryGetProperty("manifests", out _));
    }

    private static List<KeyValuePair<string, string>> Sorted(IEnumerable<KeyValuePair<string, string>> pairs) => [.. pairs.OrderBy(p => p.Key, StringComparer.Ordinal)];

    private static async Task<string> RawDigestAsync(string location)
        => Digest.Compute(Encoding.UTF8.GetBytes((await Peer.RunAsync("skopeo", ["inspect", "--tls-verify=false", "--raw", location])).TrimEnd('\n'))).ToString();
}
