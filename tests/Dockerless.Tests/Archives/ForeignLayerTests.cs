using System.Text.Json;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.Tests.Archives;

/// <summary>Non-distributable (foreign) layers: known by descriptor, never fetched, their blob left out of layouts.</summary>
public sealed class ForeignLayerTests : IDisposable
{
    private const string Url = "https://example.invalid/foreign/layer.tar.gz";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// An image of a normal layer and a foreign one. The foreign layer's descriptor names a gzip
    /// blob that is not here; <paramref name="withTar"/> gives it its uncompressed tar, as docker save does.
    /// </summary>
    private async Task<(Image Image, Descriptor Foreign)> SampleAsync(bool withTar)
    {
        TestEntry[] entries = [new("windows/system", "base os files"u8.ToArray())];
        var gzip = await TestLayer.BuildAsync(_dir[$"gz-{Guid.NewGuid():N}"], entries);
        var plain = await TestLayer.BuildAsync(_dir[$"tar-{Guid.NewGuid():N}"], entries, LayerCompression.None);
        var foreign = new Descriptor { MediaType = MediaTypes.DockerForeignLayerGzip, Digest = gzip.Digest, Size = gzip.Size, Urls = [Url] };
        var tar = withTar ? ((FileLayer)plain).Region : null;
        var app = await TestLayer.BuildAsync(_dir[$"app-{Guid.NewGuid():N}"], [new("app", "app"u8.ToArray())]);
        var image = TestLayer.ImageOf("foreign/app", "v1", new ForeignLayer(foreign, gzip.DiffId, "test image", tar), app);
        return (image, foreign);
    }

    private static JsonElement ManifestOf(string layout)
    {
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layout, "index.json")));
        var digest = Digest.Parse(index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!);
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layout, "blobs", "sha256", digest.Encoded)));
        return manifest.RootElement.Clone();
    }

    [Fact]
    public async Task A_layout_keeps_the_descriptor_with_its_urls_omits_the_blob_and_loads_again()
    {
        var (image, foreign) = await SampleAsync(withTar: false);

        await image.WriteOciLayoutAsync(_dir["layout"]);

        Assert.False(File.Exists(Path.Combine(_dir["layout"], "blobs", "sha256", foreign.Digest.Encoded)));
        var layer = ManifestOf(_dir["layout"]).GetProperty("layers")[0];
        // A manifest Dockerless makes is OCI: the foreign layer takes the OCI non-distributable type.
        Assert.Equal(MediaTypes.OciForeignLayerGzip, layer.GetProperty("mediaType").GetString());
        Assert.Equal(Url, layer.GetProperty("urls")[0].GetString());
        var loaded = Assert.Single(await Image.LoadAsync(_dir["layout"]));
        Assert.Equal(foreign.Digest, loaded.Layers[0].Digest);
        Assert.Equal(foreign.Size, loaded.Layers[0].Size);
        Assert.Equal([Url], loaded.Layers[0].Urls);
        Assert.Equal(image.Layers[0].DiffId, loaded.Layers[0].DiffId);
    }

    [Fact]
    public async Task Opening_a_foreign_layer_without_its_blob_names_the_digest_and_urls_and_fetches_nothing()
    {
        var (image, foreign) = await SampleAsync(withTar: false);
        await image.WriteOciLayoutAsync(_dir["layout"]);
        var loaded = Assert.Single(await Image.LoadAsync(_dir["layout"]));

        var e = await Assert.ThrowsAsync<ForeignLayerException>(() => loaded.Layers[0].OpenAsync());

        Assert.Equal(foreign.Digest, e.Digest);
        Assert.Equal([Url], e.Urls);
        Assert.Contains(foreign.Digest.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains(Url, e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ForeignLayerException>(() => loaded.WriteFileAsync(_dir["out.tar"]));
        Assert.False(File.Exists(_dir["out.tar"]));
    }

    [Fact]
    public async Task A_docker_archive_names_the_foreign_layer_in_LayerSources_and_reads_it_back()
    {
        var (image, foreign) = await SampleAsync(withTar: true);

        await image.WriteFileAsync(_dir["a.tar"]);

        var loaded = Assert.Single(await Image.LoadAsync(_dir["a.tar"]));
        Assert.Equal(foreign.Digest, loaded.Layers[0].Digest);
        Assert.Equal(MediaTypes.DockerForeignLayerGzip, loaded.Layers[0].MediaType);
        Assert.Equal([Url], loaded.Layers[0].Urls);
        Assert.Equal(image.Layers.Select(l => l.DiffId), loaded.Layers.Select(l => l.DiffId));
        // The tar docker save keeps is written again.
        await loaded.WriteFileAsync(_dir["b.tar"]);
        var again = Assert.Single(await Image.LoadAsync(_dir["b.tar"]));
        Assert.Equal(foreign.Digest, again.Layers[0].Digest);
        await using var flattened = new MemoryStream();
        await again.ExportAsync(flattened);
        Assert.True(flattened.Length > 0);
    }

    [Fact]
    public async Task A_docker_archive_without_the_foreign_tar_loads_and_converts_to_a_layout()
    {
        var (image, foreign) = await SampleAsync(withTar: true);
        await image.WriteFileAsync(_dir["a.tar"]);
        var diffId = image.Layers[0].DiffId;
        var dropped = new List<string>();
        await TarRewrite.RewriteAsync(_dir["a.tar"], _dir["no-tar.tar"], (name, data) =>
        {
            if (!name.EndsWith("/layer.tar", StringComparison.Ordinal) || Digest.Compute(data) != diffId) return (name, data);
            dropped.Add(name);
            return null;
        });
        Assert.Single(dropped);

        var loaded = Assert.Single(await Image.LoadAsync(_dir["no-tar.tar"]));
        await loaded.WriteOciLayoutAsync(_dir["layout"]);

        Assert.Equal(foreign.Digest, loaded.Layers[0].Digest);
        Assert.False(File.Exists(Path.Combine(_dir["layout"], "blobs", "sha256", foreign.Digest.Encoded)));
        Assert.Equal(Url, ManifestOf(_dir["layout"]).GetProperty("layers")[0].GetProperty("urls")[0].GetString());
        var e = await Assert.ThrowsAsync<ForeignLayerException>(() => loaded.WriteFileAsync(_dir["out.tar"]));
        Assert.Contains("no-tar.tar", e.Message, StringComparison.Ordinal);
    }
}
