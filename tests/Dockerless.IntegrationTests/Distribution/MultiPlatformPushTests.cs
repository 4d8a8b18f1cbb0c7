using System.Text.Json;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Distribution;

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
        await using var registry = new Registry($"http://{server.Host}");
        using var dir = new TempDirectory();
        await WriteTwoPlatformLayoutAsync(dir["layout"]);
        await using var loaded = await ImageIndex.LoadAsync(dir["layout"]);
        var manifests = loaded.Images.Select(i => i.GetDigest()).ToList();
        var shared = loaded.Images[0].Layers[0].Digest;
        loaded.Name = "multi/app";
        loaded.Tag = "v1";

        var digest = await registry.PushIndexAsync(loaded, ["also"]);

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
    }

    [Fact]
    public async Task An_index_loaded_from_a_layout_is_pushed_again_byte_for_byte_unless_narrowed()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var registry = new Registry($"http://{server.Host}");
        using var dir = new TempDirectory();
        await WriteTwoPlatformLayoutAsync(dir["layout"]);
        Digest original;
        await using (var first = await ImageIndex.LoadAsync(dir["layout"]))
        {
            original = await registry.PushIndexAsync(first, At(server, "multi/app:v1"));
        }
        // skopeo keeps the index as a blob of the layout it writes.
        await Peer.RunAsync("skopeo", ["copy", "--all", "--src-tls-verify=false", $"docker://{server.Host}/multi/app:v1", $"oci:{dir["skopeo"]}:v1"]);

        await using var images = await ImageIndex.LoadAsync(dir["skopeo"], "v1");
        var again = await registry.PushIndexAsync(images, At(server, "again/app:v2"));
        await images.WriteOciLayoutAsync(dir["rewritten"]);
        // A new index of one of them (which it does not own: the loaded index disposes it).
        var narrowed = await registry.PushIndexAsync(ImageIndex.Create([images.Images[0]]), At(server, "narrow/app:v1"));

        Assert.Equal(original, again);
        Assert.NotEqual(original, narrowed);
        await using var rewritten = await ImageIndex.LoadAsync(dir["rewritten"]);
        Assert.Equal(original, await registry.PushIndexAsync(rewritten, At(server, "rewritten/app:v1")));
        await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", "--ref", "name=v1", dir["rewritten"]]);
    }

    private static ImageReference At(RegistryProcess server, string reference) => ImageReference.Parse($"{server.Host}/{reference}");
}
