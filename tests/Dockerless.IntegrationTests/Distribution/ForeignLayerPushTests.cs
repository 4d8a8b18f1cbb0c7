using System.Text.Json;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Distribution;

/// <summary>An image with a non-distributable layer, loaded without its blob and pushed to the real registry.</summary>
public sealed class ForeignLayerPushTests
{
    private const string Url = "https://example.invalid/foreign/layer.tar.gz";

    [Fact]
    public async Task A_foreign_layer_is_pushed_by_descriptor_alone_and_skopeo_reads_it_back()
    {
        // distribution refuses URLs on layers unless its config allows them.
        await using var server = await RegistryProcess.StartAsync(new RegistryProcessOptions { AllowForeignLayerUrls = true });
        await using var registry = new Registry($"http://{server.Host}");
        using var dir = new TempDirectory();
        var blob = await TestLayer.BuildAsync(dir["foreign.tar.gz"], [new("base/os", "not ours to distribute"u8.ToArray())]);
        var foreign = new Descriptor { MediaType = MediaTypes.OciForeignLayerGzip, Digest = blob.Digest, Size = blob.Size, Urls = [Url] };
        await using (var image = TestLayer.ImageOf("foreign/app", "v1", new ForeignLayer(foreign, blob.DiffId, "test")))
        {
            image.AddLayer(await TempLayer.CreateAsync(new Dictionary<string, byte[]> { ["/app"] = "app"u8.ToArray() }));
            await image.WriteOciLayoutAsync(dir["layout"]);
        }
        var loaded = Assert.Single(await Image.LoadAsync(dir["layout"]));

        var digest = await registry.PushImageAsync(loaded);

        var raw = await Peer.RunAsync("skopeo", ["inspect", "--tls-verify=false", "--raw", $"docker://{server.Host}/foreign/app:v1"]);
        Assert.Equal(digest, Digest.Compute(System.Text.Encoding.UTF8.GetBytes(raw.TrimEnd('\n'))));
        using var manifest = JsonDocument.Parse(raw);
        var layer = manifest.RootElement.GetProperty("layers")[0];
        Assert.Equal(MediaTypes.OciForeignLayerGzip, layer.GetProperty("mediaType").GetString());
        Assert.Equal(foreign.Digest.ToString(), layer.GetProperty("digest").GetString());
        Assert.Equal(Url, layer.GetProperty("urls")[0].GetString());
        Assert.DoesNotContain(await server.AccessLogAsync(), l => l.Contains(foreign.Digest.Encoded, StringComparison.Ordinal));
        await using var pulled = await registry.PullImageAsync("foreign/app", "v1");
        Assert.Equal([Url], pulled.Layers[0].Urls);
        // Pulled and written to a layout: the foreign layer by descriptor, the manifest byte for byte.
        await pulled.WriteOciLayoutAsync(dir["pulled"]);
        Assert.False(File.Exists(Path.Combine(dir["pulled"], "blobs", "sha256", foreign.Digest.Encoded)));
        Assert.True(File.Exists(Path.Combine(dir["pulled"], "blobs", "sha256", digest.Encoded)));
        await using var reloaded = Assert.Single(await Image.LoadAsync(dir["pulled"]));
        Assert.Equal(pulled.Layers.Select(l => l.Digest), reloaded.Layers.Select(l => l.Digest));
        await loaded.DisposeAsync();
    }
}
