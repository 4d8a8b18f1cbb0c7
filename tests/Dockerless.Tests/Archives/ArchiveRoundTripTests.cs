using System.Formats.Tar;
using System.Text;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.Tests.Archives;

public sealed class ArchiveRoundTripTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<Image> SampleAsync(string name = "127.0.0.1:5000/team/app", string tag = "v1", LayerCompression compression = LayerCompression.Gzip)
    {
        var one = await TestLayer.BuildAsync(_dir[$"one-{Guid.NewGuid():N}"], [TestEntry.Directory("etc/"), new("etc/one", "one"u8.ToArray())], compression);
        var two = await TestLayer.BuildAsync(_dir[$"two-{Guid.NewGuid():N}"], [new("two", "two"u8.ToArray())], compression);
        var image = TestLayer.ImageOf(name, tag, one, two);
        image.Config.Cmd = ["/bin/sh"];
        return image;
    }

    private static async Task<string> ReadLayerTextAsync(Layer layer, string entryName)
    {
        await using var tar = await layer.OpenUncompressedAsync();
        await using var reader = new TarReader(tar);
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            if (entry.Name == entryName) return new StreamReader(entry.DataStream!).ReadToEnd();
        }
        throw new InvalidOperationException($"{entryName} is not in the layer");
    }

    [Theory]
    [InlineData("UPPER", "v1")]
    [InlineData("app", "bad tag")]
    [InlineData("app", ".hidden")]
    [InlineData("a//b", "v1")]
    [InlineData("app:1", "v1")]
    [InlineData("../app", "v1")]
    public async Task A_docker_archive_of_a_name_and_tag_docker_load_cannot_parse_is_refused_and_not_written(string name, string tag)
    {
        // docker load parses every RepoTags entry and refuses the whole archive for one it cannot.
        await using var image = await SampleAsync(name, tag);
        var path = _dir["bad-name.tar"];

        var error = await Assert.ThrowsAsync<InvalidReferenceException>(() => image.WriteFileAsync(path));
        Assert.Equal($"{name}:{tag}", error.Reference);
        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData("UPPER", "v1")]
    [InlineData("a//b", "v1")]
    [InlineData("app", "bad tag")]
    public async Task An_oci_layout_of_a_name_and_tag_containerd_cannot_parse_is_refused_and_not_written(string name, string tag)
    {
        // The name goes into io.containerd.image.name, which containerd parses on import.
        await using var image = await SampleAsync(name, tag);

        var error = await Assert.ThrowsAsync<InvalidReferenceException>(() => image.WriteOciLayoutAsync(_dir["bad-name"]));
        Assert.Equal($"{name}:{tag}", error.Reference);
        await Assert.ThrowsAsync<InvalidReferenceException>(() => image.WriteOciArchiveAsync(_dir["bad-name.tar"]));
        Assert.False(Directory.Exists(_dir["bad-name"]));
        Assert.False(File.Exists(_dir["bad-name.tar"]));
    }

    [Fact]
    public async Task A_ref_name_that_is_no_reference_is_written_without_containerds_name()
    {
        // skopeo writes oci:DIR:NAME's NAME as given; only a reference is also containerd's name.
        await using var image = await SampleAsync("", "a:b:c");
        await image.WriteOciLayoutAsync(_dir["odd"]);

        var entry = System.Text.Json.JsonDocument.Parse(await File.ReadAllBytesAsync(_dir["odd/index.json"])).RootElement.GetProperty("manifests")[0];
        var annotations = entry.GetProperty("annotations");
        Assert.Equal("a:b:c", annotations.GetProperty("org.opencontainers.image.ref.name").GetString());
        Assert.False(annotations.TryGetProperty("io.containerd.image.name", out _));
    }

    [Fact]
    public async Task A_null_in_tags_is_refused_when_a_docker_archive_is_written()
    {
        await using var image = await SampleAsync();
        image.Tags.Add(null!);

        await Assert.ThrowsAsync<InvalidReferenceException>(() => image.WriteFileAsync(_dir["null-tag.tar"]));
        Assert.False(File.Exists(_dir["null-tag.tar"]));
    }

    [Fact]
    public async Task A_docker_archive_is_read_back_with_names_config_and_uncompressed_layers()
    {
        var image = await SampleAsync();
        image.Tags.Add("v2");
        await image.WriteFileAsync(_dir["a.tar"]);

        var loaded = Assert.Single(await Image.LoadAsync(_dir["a.tar"]));
        Assert.Equal("127.0.0.1:5000/team/app", loaded.Name);
        Assert.Equal(["v1", "v2"], loaded.Tags);
        Assert.Equal(["/bin/sh"], loaded.Config.Cmd);
        Assert.Equal(image.Layers.Select(l => l.DiffId), loaded.Layers.Select(l => l.DiffId));
        // docker save stores plain tars: the digest in the archive is the diff_id.
        Assert.All(loaded.Layers, l => Assert.Equal(l.DiffId, l.Digest));
        Assert.All(loaded.Layers, l => Assert.Equal(LayerCompression.None, l.Compression));
        Assert.Equal("one", await ReadLayerTextAsync(loaded.Layers[0], "etc/one"));
        Assert.Equal(image.GetConfigBytes(), loaded.GetConfigBytes());
    }

    [Fact]
    public async Task Rewriting_a_loaded_docker_archive_keeps_config_and_layer_digests()
    {
        await (await SampleAsync()).WriteFileAsync(_dir["a.tar"]);
        var first = Assert.Single(await Image.LoadAsync(_dir["a.tar"]));
        await first.WriteFileAsync(_dir["b.tar"]);
        var second = Assert.Single(await Image.LoadAsync(_dir["b.tar"]));
        Assert.Equal(first.Layers.Select(l => l.Digest), second.Layers.Select(l => l.Digest));
        Assert.Equal(first.GetConfigBytes(), second.GetConfigBytes());
        Assert.Equal(await File.ReadAllBytesAsync(_dir["a.tar"]), await File.ReadAllBytesAsync(_dir["b.tar"]));
    }

    [Fact]
    public async Task Several_images_share_their_common_layers_in_one_docker_archive()
    {
        var a = await SampleAsync("app", "a");
        var b = TestLayer.ImageOf("other", "b", a.Layers[0]);
        await Image.WriteFileAsync(_dir["two.tar"], [a, b]);

        var loaded = await Image.LoadAsync(_dir["two.tar"]);
        Assert.Equal(["app:a", "other:b"], loaded.Select(i => $"{i.Name}:{i.Tag}"));
        Assert.Equal(loaded[0].Layers[0].Digest, loaded[1].Layers[0].Digest);
        await using var reader = new TarReader(File.OpenRead(_dir["two.tar"]));
        var files = new List<string>();
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            if (entry.EntryType == TarEntryType.RegularFile && entry.Name.EndsWith("/layer.tar", StringComparison.Ordinal)) files.Add(entry.Name);
        }
        Assert.Equal(2, files.Count);
    }

    [Fact]
    public async Task An_oci_layout_keeps_manifest_and_config_bytes_of_an_unedited_image()
    {
        var image = await SampleAsync(compression: LayerCompression.Zstd);
        await image.WriteOciLayoutAsync(_dir["layout"]);
        var loaded = Assert.Single(await Image.LoadAsync(_dir["layout"]));
        Assert.Equal(("127.0.0.1:5000/team/app", "v1"), (loaded.Name, loaded.Tag));
        Assert.Equal(image.Layers.Select(l => l.Digest), loaded.Layers.Select(l => l.Digest));
        Assert.Equal(MediaTypes.OciLayerZstd, loaded.Layers[0].MediaType);
        var manifest = image.GetManifest(image.GetConfigBytes());
        var reloaded = loaded.GetManifest(loaded.GetConfigBytes());
        Assert.Equal(manifest.Digest, reloaded.Digest);

        var index = await File.ReadAllTextAsync(_dir["layout/index.json"]);
        Assert.Contains("\"org.opencontainers.image.ref.name\":\"v1\"", index, StringComparison.Ordinal);
        Assert.True(File.Exists(_dir[$"layout/blobs/sha256/{manifest.Digest.Encoded}"]));
    }

    [Fact]
    public async Task An_oci_archive_is_read_back()
    {
        var image = await SampleAsync();
        await image.WriteOciArchiveAsync(_dir["oci.tar"]);
        var loaded = Assert.Single(await Image.LoadAsync(_dir["oci.tar"]));
        Assert.Equal(image.Layers.Select(l => l.Digest), loaded.Layers.Select(l => l.Digest));
        Assert.Equal("two", await ReadLayerTextAsync(loaded.Layers[1], "two"));
    }

    [Fact]
    public async Task Adding_to_an_existing_layout_replaces_the_same_tag_and_keeps_others()
    {
        var first = await SampleAsync("app", "v1");
        await first.WriteOciLayoutAsync(_dir["layout"]);
        var second = await SampleAsync("app", "v2");
        await second.WriteOciLayoutAsync(_dir["layout"]);
        second.Config.Env.Add("CHANGED=1");
        await second.WriteOciLayoutAsync(_dir["layout"]);

        var loaded = await Image.LoadAsync(_dir["layout"]);
        Assert.Equal(["v1", "v2"], loaded.Select(i => i.Tag));
        Assert.Contains("CHANGED=1", loaded[1].Config.Env);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir["layout"], ".*", SearchOption.AllDirectories));
    }

    /// <summary>app:v1 for linux/amd64 and for linux/arm64 (with ARM=1 in its Env), in one layout.</summary>
    private async Task WriteTwoPlatformsAsync()
    {
        var amd = await SampleAsync("app", "v1");
        amd.Platform = Platform.Parse("linux/amd64");
        var arm = await SampleAsync("app", "v1");
        arm.Platform = Platform.Parse("linux/arm64");
        arm.Config.Env.Add("ARM=1");
        await Image.WriteOciLayoutAsync(_dir["layout"], [amd, arm]);
    }

    [Fact]
    public async Task The_platform_of_a_multi_platform_layout_is_chosen_on_load()
    {
        await WriteTwoPlatformsAsync();

        var picked = Assert.Single(await Image.LoadAsync(_dir["layout"], new ImageLoadOptions { Platform = Platform.Parse("linux/arm64/v8") }));
        Assert.Contains("ARM=1", picked.Config.Env);
        Assert.Equal(2, (await ImageIndex.LoadAsync(_dir["layout"])).Images.Count);
        await Assert.ThrowsAsync<PlatformNotFoundException>(() => Image.LoadAsync(_dir["layout"], new ImageLoadOptions { Platform = Platform.Parse("linux/s390x") }));
    }

    [Fact]
    public async Task A_nested_index_is_resolved_to_the_requested_platform()
    {
        await WriteTwoPlatformsAsync();
        // Move the two manifests into a nested index, as skopeo copy --all and buildx write.
        var indexPath = _dir["layout/index.json"];
        var inner = await File.ReadAllBytesAsync(indexPath);
        var innerDigest = Digest.Compute(inner);
        await File.WriteAllBytesAsync(_dir[$"layout/blobs/sha256/{innerDigest.Encoded}"], inner);
        await File.WriteAllTextAsync(indexPath,
            $$$"""{"schemaVersion":2,"manifests":[{"mediaType":"{{{MediaTypes.OciIndex}}}","digest":"{{{innerDigest}}}","size":{{{inner.Length}}},"annotations":{"org.opencontainers.image.ref.name":"v1"}}]}""");

        var picked = Assert.Single(await Image.LoadAsync(_dir["layout"], new ImageLoadOptions { Platform = Platform.Parse("linux/arm64") }));
        Assert.Equal("arm64", picked.Platform.Architecture);
        Assert.Equal("v1", picked.Tag);
    }

    [Fact]
    public async Task A_legacy_archive_with_repositories_and_a_parent_chain_is_read()
    {
        var image = await SampleAsync();
        var top = "b".PadRight(64, 'b');
        var bottom = "a".PadRight(64, 'a');
        await using (var output = File.Create(_dir["legacy.tar"]))
        await using (var writer = new TarWriter(output, TarEntryFormat.Pax))
        {
            async Task AddAsync(string name, Stream data) => await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = data });
            static MemoryStream Text(string s) => new(Encoding.UTF8.GetBytes(s));
            await AddAsync("repositories", Text($$$"""{"app": {"latest": "{{{top}}}"}}"""));
            await AddAsync($"{top}/json", Text($$$"""{"id": "{{{top}}}", "parent": "{{{bottom}}}", "checksum": "{{{image.Layers[1].DiffId.Encoded}}}", "os": "linux", "architecture": "amd64", "config": {"Cmd": ["echo", "hi"], "Env": []}}"""));
            await AddAsync($"{bottom}/json", Text($$$"""{"id": "{{{bottom}}}", "os": "linux"}"""));
            await AddAsync($"{top}/layer.tar", await image.Layers[1].OpenUncompressedAsync());
            await AddAsync($"{bottom}/layer.tar", await image.Layers[0].OpenAsync());
        }

        var loaded = Assert.Single(await Image.LoadAsync(_dir["legacy.tar"]));
        Assert.Equal(("app", "latest"), (loaded.Name, loaded.Tag));
        Assert.Equal(["echo", "hi"], loaded.Config.Cmd);
        Assert.Equal(image.Layers.Select(l => l.DiffId), loaded.Layers.Select(l => l.DiffId));
        Assert.Equal(image.Layers[0].Digest, loaded.Layers[0].Digest);
        Assert.Equal("one", await ReadLayerTextAsync(loaded.Layers[0], "etc/one"));
    }

    /// <summary>Docker 25+ saves an OCI layout plus a manifest.json pointing into blobs/: plain layers, or compressed ones with the containerd image store.</summary>
    [Theory]
    [InlineData(LayerCompression.None)]
    [InlineData(LayerCompression.Gzip)]
    public async Task A_docker_25_save_with_manifest_json_over_an_oci_layout_is_read_through_manifest_json(LayerCompression compression)
    {
        var image = await Docker25ArchiveAsync(compression, "docker25.tar");

        var loaded = Assert.Single(await Image.LoadAsync(_dir["docker25.tar"]));
        Assert.Equal(("docker.io/library/app", "v1"), (loaded.Name, loaded.Tag));
        Assert.Equal(image.Layers.Select(l => l.Digest), loaded.Layers.Select(l => l.Digest));
        Assert.Equal("two", await ReadLayerTextAsync(loaded.Layers[1], "two"));
    }

    /// <summary>
    /// A compressed layer at blobs/sha256/HEX is taken at its name's word when loaded, not read
    /// once to hash it and again to use it; its bytes are checked when it is read.
    /// </summary>
    [Fact]
    public async Task A_compressed_layer_named_by_its_digest_is_not_hashed_at_load_but_checked_when_read()
    {
        var image = await Docker25ArchiveAsync(LayerCompression.Gzip, "docker25.tar");
        var named = image.Layers[0].Digest;
        await TarRewrite.RewriteAsync(_dir["docker25.tar"], _dir["altered.tar"], (name, data) =>
        {
            if (name == $"blobs/sha256/{named.Encoded}") data[^9] ^= 0xff; // the gzip trailer's CRC: same length, other bytes
            return (name, data);
        });

        var loaded = Assert.Single(await Image.LoadAsync(_dir["altered.tar"]));

        Assert.Equal(named, loaded.Layers[0].Digest);
        var error = await Assert.ThrowsAsync<DigestMismatchException>(async () =>
        {
            await using var blob = await loaded.Layers[0].OpenAsync();
            await blob.CopyToAsync(Stream.Null);
        });
        Assert.Equal(named, error.Expected);
    }

    private async Task<Image> Docker25ArchiveAsync(LayerCompression compression, string file)
    {
        var image = await SampleAsync("app", "v1", compression);
        await image.WriteOciArchiveAsync(_dir["oci.tar"]);
        var config = Digest.Compute(image.GetConfigBytes());
        var layers = string.Join(",", image.Layers.Select(l => $"\"blobs/sha256/{l.Digest.Encoded}\""));
        await TarRewrite.AppendAsync(_dir["oci.tar"], _dir[file], "manifest.json", Encoding.UTF8.GetBytes(
            $"[{{\"Config\":\"blobs/sha256/{config.Encoded}\",\"RepoTags\":[\"docker.io/library/app:v1\"],\"Layers\":[{layers}]}}]"));
        return image;
    }

    [Theory]
    [InlineData("app:v1", "app", "v1")]
    [InlineData("127.0.0.1:5000/app:v1", "127.0.0.1:5000/app", "v1")]
    [InlineData("localhost:5000/team/app", "localhost:5000/team/app", "latest")]
    public void RepoTags_split_on_the_last_colon_after_the_last_slash(string reference, string name, string tag)
        => Assert.Equal((name, tag), Dockerless.Archives.RepoTag.Split(reference));
}
