using System.Text;
using System.Text.Json;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.Tests.Archives;

/// <summary>
/// A location that holds several images reads only the one it names: it is chosen in
/// <c>index.json</c> or <c>manifest.json</c> before any manifest, config or blob is read, so what
/// is wrong with another (a damaged, missing or mis-sized blob) does not matter, and it carries
/// only the name it was asked by.
/// </summary>
public sealed class ChosenImageTests : IDisposable
{
    private readonly Dockerless.IntegrationTests.Fixtures.TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<Image> ImageAsync(string name, string tag, string text)
    {
        var layer = await TestLayer.BuildAsync(_dir[$"layer-{Guid.NewGuid():N}"], [new($"{tag}.txt", Encoding.ASCII.GetBytes(text))]);
        return TestLayer.ImageOf(name, tag, layer);
    }

    /// <summary>A layout of a:1 and b:2, whose b has lost its layer blob, and has a mis-sized config and a damaged manifest when <paramref name="damage"/> says so.</summary>
    private async Task<(string Layout, Image A, Image B)> LayoutAsync(string damage)
    {
        var a = await ImageAsync("a", "1", "first");
        var b = await ImageAsync("b", "2", "second");
        var layout = _dir["layout"];
        await Image.WriteOciLayoutAsync(layout, [a, b]);
        var blobs = Path.Combine(layout, "blobs", "sha256");
        var manifest = b.GetRawManifest();
        switch (damage)
        {
            case "missing layer": File.Delete(Path.Combine(blobs, b.Layers[0].Digest.Encoded)); break;
            case "mis-sized config": await File.AppendAllTextAsync(Path.Combine(blobs, manifest.Manifest!.Config.Digest.Encoded), " "); break;
            case "damaged manifest": await File.WriteAllTextAsync(Path.Combine(blobs, manifest.Digest.Encoded), "{not json"); break;
            case "missing manifest": File.Delete(Path.Combine(blobs, manifest.Digest.Encoded)); break;
        }
        return (layout, a, b);
    }

    [Theory]
    [InlineData("missing layer")]
    [InlineData("mis-sized config")]
    [InlineData("damaged manifest")]
    [InlineData("missing manifest")]
    public async Task Another_tags_damage_does_not_fail_reading_a_tag_of_a_layout(string damage)
    {
        var (layout, a, _) = await LayoutAsync(damage);
        await using var image = await ImageLocation.Parse($"oci:{layout}:1").OpenImageAsync();
        Assert.Equal(a.GetDigest(), image.GetDigest());
        await image.ExportAsync(Stream.Null);
        var copy = await ImageLocation.Parse($"oci:{layout}:1").CopyToAsync(ImageLocation.ParseDestination($"oci:{_dir["copy"]}:1"));
        Assert.Equal(a.GetDigest(), copy.Digest);
    }

    [Fact]
    public async Task A_tag_the_layout_lacks_is_named_with_what_it_has()
    {
        var (layout, _, _) = await LayoutAsync("missing manifest");
        var error = await Assert.ThrowsAsync<DockerlessException>(() => ImageLocation.Parse($"oci:{layout}:3").OpenImageAsync());
        Assert.EndsWith("no image named 3 in it (it has: 1, 2)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_images_missing_config_or_layer_does_not_fail_reading_one_of_a_docker_archive()
    {
        var a = await ImageAsync("a", "1", "first");
        var b = await ImageAsync("b", "2", "second");
        await Image.WriteDockerArchiveAsync(_dir["both.tar"], [a, b]);
        var bConfig = $"{Digest.Compute(b.GetConfigBytes()).Encoded}.json";
        await TarRewrite.RewriteAsync(_dir["both.tar"], _dir["damaged.tar"], (name, data) => name == bConfig ? null : (name, data));

        foreach (var text in new[] { $"docker-archive:{_dir["damaged.tar"]}:a:1", $"docker-archive:{_dir["damaged.tar"]}:@0" })
        {
            await using var image = await ImageLocation.Parse(text).OpenImageAsync();
            Assert.Equal(a.GetRawConfig().ToArray(), image.GetRawConfig().ToArray());
            await image.ExportAsync(Stream.Null);
        }
        await using (var second = await ImageLocation.Parse($"docker-archive:{_dir["both.tar"]}:@1").OpenImageAsync())
        {
            Assert.Equal(b.GetRawConfig().ToArray(), second.GetRawConfig().ToArray());
        }
        var missing = await Assert.ThrowsAsync<DockerlessException>(() => ImageLocation.Parse($"docker-archive:{_dir["damaged.tar"]}:c:3").OpenImageAsync());
        Assert.EndsWith("no image named c:3 in it (it has: a:1, b:2)", missing.Message, StringComparison.Ordinal);
        var beyond = await Assert.ThrowsAsync<DockerlessException>(() => ImageLocation.Parse($"docker-archive:{_dir["both.tar"]}:@2").OpenImageAsync());
        Assert.EndsWith("no image @2: it holds 2 (@0 to @1)", beyond.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("docker-archive:x.tar:@1")]
    [InlineData("docker-archive:x.tar:@a")]
    public void A_source_index_is_for_reading_only(string text)
    {
        Assert.Throws<InvalidLocationException>(() => ImageLocation.ParseDestination(text));
        if (text.EndsWith("@1", StringComparison.Ordinal)) Assert.Equal(1, Assert.IsType<DockerArchiveLocation>(ImageLocation.Parse(text)).SourceIndex);
        else Assert.Throws<InvalidLocationException>(() => ImageLocation.Parse(text));
    }

    [Fact]
    public async Task An_image_read_by_one_of_its_tags_carries_that_tag_alone()
    {
        var image = await ImageAsync("app", "1", "same");
        image.Tags.Add("2");
        await image.WriteOciLayoutAsync(_dir["layout"]);
        await image.WriteDockerArchiveAsync(_dir["app.tar"]);
        await using var fromLayout = await ImageLocation.Parse($"oci:{_dir["layout"]}:2").OpenImageAsync();
        Assert.Equal(["2"], fromLayout.Tags);
        await using var fromArchive = await ImageLocation.Parse($"docker-archive:{_dir["app.tar"]}:app:2").OpenImageAsync();
        Assert.Equal(["2"], fromArchive.Tags);
    }

    [Fact]
    public async Task An_untagged_referrer_beside_the_tagged_image_does_not_break_reading_it()
    {
        var image = await ImageAsync("app", "1", "payload");
        await image.WriteOciLayoutAsync(_dir["layout"]);
        var layout = _dir["layout"];
        // An SBOM artifact referring to the image, listed untagged in index.json as the image-spec's referrers are.
        var empty = "{}"u8.ToArray();
        var sbom = "{\"spdxVersion\":\"SPDX-2.3\"}"u8.ToArray();
        var subject = image.GetRawManifest();
        var artifact = JsonSerializer.SerializeToUtf8Bytes(new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            ArtifactType = "application/spdx+json",
            Config = new Descriptor { MediaType = MediaTypes.OciEmpty, Digest = Digest.Compute(empty), Size = empty.Length },
            Layers = [new Descriptor { MediaType = "application/spdx+json", Digest = Digest.Compute(sbom), Size = sbom.Length }],
            Subject = new Descriptor { MediaType = subject.MediaType, Digest = subject.Digest, Size = subject.Bytes.Length },
        }, ManifestJsonContext.Default.ImageManifest);
        foreach (var blob in new[] { empty, sbom, artifact }) await File.WriteAllBytesAsync(Path.Combine(layout, "blobs", "sha256", Digest.Compute(blob).Encoded), blob);
        var index = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(Path.Combine(layout, "index.json")), ManifestJsonContext.Default.IndexManifest)!;
        index = index with { Manifests = [.. index.Manifests, new Descriptor { MediaType = MediaTypes.OciManifest, Digest = Digest.Compute(artifact), Size = artifact.Length, ArtifactType = "application/spdx+json" }] };
        await File.WriteAllBytesAsync(Path.Combine(layout, "index.json"), JsonSerializer.SerializeToUtf8Bytes(index, ManifestJsonContext.Default.IndexManifest));

        foreach (var text in new[] { $"oci:{layout}:1", $"oci:{layout}" })
        {
            await using var read = await ImageLocation.Parse(text).OpenImageAsync();
            Assert.Equal(image.GetDigest(), read.GetDigest());
        }
    }
}
