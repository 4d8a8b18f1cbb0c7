using System.Text.Json;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.Tests.Archives;

/// <summary>An index blob in an OCI layout: kept byte for byte while its platforms are unedited, replaced by a new one otherwise.</summary>
public sealed class MultiPlatformLayoutTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// A layout of two platforms under one tag: its index.json names one index blob listing both
    /// (as skopeo copy --all writes it); returns the index's digest.
    /// </summary>
    private async Task<Digest> WriteNestedLayoutAsync(string layout)
    {
        var images = new List<Image>();
        foreach (var text in new[] { "linux/amd64", "linux/arm64" })
        {
            var layer = await TestLayer.BuildAsync(_dir[$"layer-{text.Replace('/', '-')}"], [new("arch", System.Text.Encoding.UTF8.GetBytes(text))]);
            var image = TestLayer.ImageOf("", "v1", layer);
            image.Platform = Platform.Parse(text);
            images.Add(image);
        }
        await Image.WriteOciLayoutAsync(layout, images);
        var entry = Assert.Single(Entries(layout));
        Assert.Equal(MediaTypes.OciIndex, entry.GetProperty("mediaType").GetString());
        return Digest.Parse(entry.GetProperty("digest").GetString()!);
    }

    private static List<JsonElement> Entries(string layout)
    {
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layout, "index.json")));
        return [.. index.RootElement.GetProperty("manifests").EnumerateArray().Select(e => e.Clone())];
    }

    [Fact]
    public async Task Rewriting_every_platform_of_an_index_keeps_the_index_blob_and_its_digest()
    {
        var digest = await WriteNestedLayoutAsync(_dir["nested"]);
        await using var index = await ImageIndex.LoadAsync(_dir["nested"]);

        await index.WriteOciLayoutAsync(_dir["copy"]);

        Assert.Equal(2, index.Images.Count);
        var entry = Assert.Single(Entries(_dir["copy"]));
        Assert.Equal(digest.ToString(), entry.GetProperty("digest").GetString());
        Assert.Equal("v1", entry.GetProperty("annotations").GetProperty("org.opencontainers.image.ref.name").GetString());
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_dir["nested"], "blobs", "sha256", digest.Encoded)),
            await File.ReadAllBytesAsync(Path.Combine(_dir["copy"], "blobs", "sha256", digest.Encoded)));
    }

    [Fact]
    public async Task An_edited_platform_gets_a_new_index_under_the_same_tag()
    {
        var digest = await WriteNestedLayoutAsync(_dir["nested"]);
        await using var index = await ImageIndex.LoadAsync(_dir["nested"]);
        index.Images[1].Config.Env.Add("EDITED=1");

        await index.WriteOciLayoutAsync(_dir["edited"]);

        var entry = Assert.Single(Entries(_dir["edited"]));
        Assert.NotEqual(digest.ToString(), entry.GetProperty("digest").GetString());
        Assert.Equal("v1", entry.GetProperty("annotations").GetProperty("org.opencontainers.image.ref.name").GetString());
        await using var reloaded = await ImageIndex.LoadAsync(_dir["edited"]);
        Assert.Equal(["amd64", "arm64"], reloaded.Images.Select(i => i.Platform.Architecture));
        Assert.Equal(["EDITED=1"], reloaded.Images[1].Config.Env);
    }

    /// <summary>Puts the index that index.json names inside <paramref name="times"/> more indexes, each listing the one before.</summary>
    private static void WrapInIndexes(string layout, int times)
    {
        var entry = Assert.Single(Entries(layout));
        var descriptor = new Descriptor { MediaType = MediaTypes.OciIndex, Digest = Digest.Parse(entry.GetProperty("digest").GetString()!), Size = entry.GetProperty("size").GetInt64() };
        for (var i = 0; i < times; i++)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(new IndexManifest { MediaType = MediaTypes.OciIndex, Manifests = [descriptor] }, Dockerless.Manifests.ManifestJsonContext.Default.IndexManifest);
            descriptor = new Descriptor { MediaType = MediaTypes.OciIndex, Digest = Digest.Compute(bytes), Size = bytes.Length };
            File.WriteAllBytes(Path.Combine(layout, "blobs", "sha256", descriptor.Digest.Encoded), bytes);
        }
        var top = descriptor with { Annotations = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = "v1" } };
        File.WriteAllBytes(Path.Combine(layout, "index.json"),
            JsonSerializer.SerializeToUtf8Bytes(new IndexManifest { MediaType = MediaTypes.OciIndex, Manifests = [top] }, Dockerless.Manifests.ManifestJsonContext.Default.IndexManifest));
    }

    [Fact]
    public async Task Indexes_nested_four_deep_are_read_and_five_deep_are_refused_by_name()
    {
        await WriteNestedLayoutAsync(_dir["four"]);
        WrapInIndexes(_dir["four"], 3);
        await WriteNestedLayoutAsync(_dir["five"]);
        WrapInIndexes(_dir["five"], 4);

        var arm = Assert.Single(await Image.LoadAsync(_dir["four"], new ImageLoadOptions { Platform = Platform.Parse("linux/arm64") }));
        Assert.Equal("arm64", arm.Platform.Architecture);
        Assert.Equal(2, (await ImageIndex.LoadAsync(_dir["four"])).Images.Count);
        Func<Task>[] loads = [() => Image.LoadAsync(_dir["five"], new ImageLoadOptions { Platform = Platform.Parse("linux/arm64") }), () => ImageIndex.LoadAsync(_dir["five"])];
        foreach (var load in loads)
        {
            var error = await Assert.ThrowsAsync<InvalidImageFormatException>(load);
            Assert.Contains("indexes nest more than 4 deep", error.Message, StringComparison.Ordinal);
        }
    }
}
