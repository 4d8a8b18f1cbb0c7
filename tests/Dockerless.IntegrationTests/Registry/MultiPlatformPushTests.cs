using System.Text.Json;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Registry;

/// <summary>Multi-platform images pushed from local files as one index, read back by skopeo and the validators.</summary>
public sealed class MultiPlatformPushTests
{
    /// <summary>Writes a layout holding <c>app:v1</c> for two platforms, which share one layer.</summary>
    internal static async Task WriteTwoPlatformLayoutAsync(string directory)
    {
        var images = new List<Image>();
        try
        {
            foreach (var text in new[] { "linux/amd64", "linux/arm64" })
            {
                var image = Image.Scratch("app", "v1", Platform.Parse(text));
                images.Add(image);
                image.AddLayer(await TempLayer.CreateAsync(new Dictionary<string, byte[]> { ["/shared"] = "same in every platform"u8.ToArray() }));
                image.AddLayer(await TempLayer.CreateAsync(new Dictionary<string, byte[]> { ["/arch"] = System.Text.Encoding.UTF8.GetBytes(text) }));
            }
            await Image.WriteOciLayoutAsync(directory, images);
        }
        finally
        {
            foreach (var image in images) await image.DisposeAsync();
        }
    }

    internal static async Task<JsonElement> RawAsync(string reference)
    {
        using var document = JsonDocument.Parse(await Peer.RunAsync("skopeo", ["inspect", "--tls-verify=false", "--raw", $"docker://{reference}"]));
        return document.RootElement.Clone();
    }

    internal static List<string> Architectures(JsonElement index)
        => [.. index.GetProperty("manifests").EnumerateArray().Select(m => m.GetProperty("platform").GetProperty("architecture").GetString()!)];

    [Fact]
    public async Task A_two_platform_layout_is_pushed_as_one_index_that_skopeo_copies_whole_and_that_validates()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var registry = new Dockerless.Distribution.Registry($"http://{server.Host}");
        using var dir = new TempDirectory();
        await WriteTwoPlatformLayoutAsync(dir["layout"]);
        var images = await Image.LoadAsync(dir["layout"], new ImageLoadOptions { AllPlatforms = true });
        var manifests = images.Select(i => i.GetManifest(i.GetConfigBytes()).Digest).ToList();
        var shared = images[0].Layers[0].Digest;

        var digest = await registry.PushIndexAsync(images, "multi/app", "v1", ["also"]);

        var raw = await Peer.RunAsync("skopeo", ["inspect", "--tls-verify=false", "--raw", $"docker://{server.Host}/multi/app:v1"]);
        Assert.Equal(digest, Digest.Compute(System.Text.Encoding.UTF8.GetBytes(raw.TrimEnd('\n'))));
        using var index = JsonDocument.Parse(raw);
        Assert.Equal(["amd64", "arm64"], Architectures(index.RootElement));
        Assert.Equal(manifests, index.RootElement.GetProperty("manifests").EnumerateArray().Select(m => Digest.Parse(m.GetProperty("digest").GetString()!)));
        Assert.Equal(digest, await registry.GetDigestAsync("multi/app", "also"));
        var log = await server.AccessLogAsync();
        Assert.Single(log, l => l.Contains("PUT /v2/multi/app/blobs/uploads/", StringComparison.Ordinal) && l.Contains(shared.Encoded, StringComparison.Ordinal));

        await Peer.RunAsync("skopeo", ["copy", "--all", "--src-tls-verify=false", $"docker://{server.Host}/multi/app:v1", $"oci:{dir["copied"]}:v1"]);
        await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", "--ref", "name=v1", dir["copied"]]);
        foreach (var image in images) await image.DisposeAsync();
    }

    [Fact]
    public async Task An_index_loaded_from_a_layout_is_pushed_again_byte_for_byte_unless_narrowed()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var registry = new Dockerless.Distribution.Registry($"http://{server.Host}");
        using var dir = new TempDirectory();
        await WriteTwoPlatformLayoutAsync(dir["layout"]);
        var first = await Image.LoadAsync(dir["layout"], new ImageLoadOptions { AllPlatforms = true });
        var original = await registry.PushIndexAsync(first, "multi/app", "v1");
        foreach (var image in first) await image.DisposeAsync();
        // skopeo keeps the index as a blob of the layout it writes.
        await Peer.RunAsync("skopeo", ["copy", "--all", "--src-tls-verify=false", $"docker://{server.Host}/multi/app:v1", $"oci:{dir["skopeo"]}:v1"]);

        var images = await Image.LoadAsync(dir["skopeo"], new ImageLoadOptions { AllPlatforms = true });
        var again = await registry.PushIndexAsync(images, "again/app", "v2");
        await Image.WriteOciLayoutAsync(dir["rewritten"], images);
        var narrowed = await registry.PushIndexAsync([images[0]], "narrow/app", "v1");

        Assert.Equal(original, again);
        Assert.NotEqual(original, narrowed);
        var rewritten = await Image.LoadAsync(dir["rewritten"], new ImageLoadOptions { AllPlatforms = true });
        Assert.Equal(original, await registry.PushIndexAsync(rewritten, "rewritten/app", "v1"));
        await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", "--ref", "name=v1", dir["rewritten"]]);
        foreach (var image in images.Concat(rewritten)) await image.DisposeAsync();
    }
}
