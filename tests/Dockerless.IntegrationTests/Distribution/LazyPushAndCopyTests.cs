using System.Text.Json;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Distribution;

/// <summary>Lazy images pushed without downloading their base, and registry-to-registry copies of single images and indexes.</summary>
public sealed class LazyPushAndCopyTests
{
    [Fact]
    public async Task Lazy_pull_add_layer_push_to_the_same_registry_mounts_and_downloads_no_base_blob()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var registry = new Registry($"http://{server.Host}");
        await using (var base_ = await RegistryRoundTripTests.SmallImageAsync("base/app"))
        {
            await registry.PushImageAsync(base_);
        }
        await using var image = await registry.PullImageAsync("base/app", "v1", lazy: true);
        var baseDigests = image.Layers.Select(l => l.Digest).ToList();
        image.AddLayer(await TempLayer.CreateAsync(new Dictionary<string, byte[]> { ["/hello"] = "hi"u8.ToArray() }));
        image.Name = "mine/app";
        image.Tag = "patched";

        await registry.PushImageAsync(image);

        var log = await server.AccessLogAsync();
        Assert.All(baseDigests, d => Assert.Empty(RegistryProcess.BlobBodies(log, d)));
        Assert.All(baseDigests, d => Assert.Contains(log, l => l.Contains("POST /v2/mine/app/blobs/uploads/?mount=", StringComparison.Ordinal) && l.Contains(d.Encoded, StringComparison.Ordinal) && l.Contains("\" 201 ", StringComparison.Ordinal)));
        Assert.All(image.Layers.Take(2), l => Assert.False(l.IsLocal));
        await using var pulled = await registry.PullImageAsync("mine/app", "patched");
        Assert.Equal(3, pulled.Layers.Count);
    }

    [Fact]
    public async Task Lazy_image_pushed_to_another_registry_streams_each_base_blob_once_without_a_local_copy()
    {
        await using var first = await RegistryProcess.StartAsync();
        await using var second = await RegistryProcess.StartAsync();
        await using var source = new Registry($"http://{first.Host}");
        await using var target = new Registry($"http://{second.Host}");
        await using (var base_ = await RegistryRoundTripTests.SmallImageAsync("base/app"))
        {
            await source.PushImageAsync(base_);
        }
        await using var image = await source.PullImageAsync("base/app", "v1", lazy: true);
        image.Name = $"{second.Host}/copied/app";

        var digest = await target.PushImageAsync(image);

        var served = await first.AccessLogAsync();
        Assert.All(image.Layers, l => Assert.Single(RegistryProcess.BlobBodies(served, l.Digest)));
        Assert.All(image.Layers, l => Assert.False(l.IsLocal));
        Assert.Equal(await source.GetDigestAsync("base/app", "v1"), digest);
    }

    /// <summary>
    /// Pushes an index of linux/amd64 and linux/arm64 images, and as tag <c>outer</c> an index
    /// whose only entry is that index (a nested index, without a platform of its own).
    /// </summary>
    internal static async Task<(Digest Outer, byte[] OuterBytes, Digest Inner, Dictionary<string, Digest> Platforms)> PushNestedIndexAsync(Registry registry, string repository)
    {
        var (inner, platforms) = await PushIndexAsync(registry, repository, "linux/amd64", "linux/arm64");
        var outer = await PushWrappingIndexAsync(registry, repository, inner, "outer");
        return (outer, (await registry.GetManifestAsync(repository, "outer")).Bytes.ToArray(), inner, platforms);
    }

    /// <summary>Pushes one small image per platform and an OCI index of them; returns the index digest and the per-platform digests.</summary>
    private static async Task<(Digest Index, Dictionary<string, Digest> Platforms)> PushIndexAsync(Registry registry, string repository, params string[] platforms)
    {
        var entries = new List<Descriptor>();
        var digests = new Dictionary<string, Digest>();
        foreach (var text in platforms)
        {
            var platform = Platform.Parse(text);
            await using var image = Image.Scratch(repository, "p-" + text.Replace('/', '-'), platform);
            image.AddLayer(await TempLayer.CreateAsync(new Dictionary<string, byte[]> { ["/arch"] = System.Text.Encoding.UTF8.GetBytes(text) }));
            image.AddLayer(await TempLayer.CreateAsync(new Dictionary<string, byte[]> { ["/shared"] = "same in every platform"u8.ToArray() }));
            var digest = await registry.PushImageAsync(image);
            var manifest = await registry.GetManifestAsync(repository, digest.ToString());
            entries.Add(new Descriptor { MediaType = manifest.MediaType, Digest = digest, Size = manifest.Bytes.Length, Platform = platform });
            digests[text] = digest;
        }
        var index = new IndexManifest { MediaType = MediaTypes.OciIndex, Manifests = entries };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(index, Dockerless.Manifests.ManifestJsonContext.Default.IndexManifest);
        await registry.Api.PutManifestAsync(repository, "multi", bytes, MediaTypes.OciIndex, CancellationToken.None);
        return (Digest.Compute(bytes), digests);
    }

    [Fact]
    public async Task Copying_a_whole_index_across_registries_keeps_every_digest_and_pull_picks_the_platform()
    {
        await using var first = await RegistryProcess.StartAsync();
        await using var second = await RegistryProcess.StartAsync();
        await using var source = new Registry($"http://{first.Host}");
        await using var target = new Registry($"http://{second.Host}");
        var (index, platforms) = await PushIndexAsync(source, "multi/app", "linux/amd64", "linux/arm64", "linux/arm/v7");

        var copied = await source.CopyAsync("multi/app:multi", target, "copy/app");

        Assert.Equal(index, copied);
        Assert.Equal(index, await target.GetDigestAsync("copy/app", "multi"));
        foreach (var (_, digest) in platforms) Assert.Equal(digest, await target.GetDigestAsync("copy/app", digest.ToString()));
        await using var arm = await target.PullImageAsync("copy/app", "multi", platform: Platform.Parse("linux/arm/v7"));
        Assert.Equal("arm", arm.Platform.Architecture);
        Assert.Equal("v7", arm.Platform.Variant);
        var sharedLayer = arm.Layers[1].Digest;
        Assert.Single(RegistryProcess.BlobBodies(await first.AccessLogAsync(), sharedLayer));
    }

    [Fact]
    public async Task Copying_within_one_registry_mounts_and_one_platform_copies_just_its_manifest()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var registry = new Registry($"http://{server.Host}");
        var (_, platforms) = await PushIndexAsync(registry, "multi/app", "linux/amd64", "linux/arm64");
        var getsBefore = (await server.AccessLogAsync()).Count(l => l.Contains("GET /v2/multi/app/blobs/", StringComparison.Ordinal));

        var single = await registry.CopyAsync("multi/app:multi", "one/app:arm", [Platform.Parse("linux/arm64")]);

        Assert.Equal(platforms["linux/arm64"], single);
        Assert.False((await registry.GetManifestAsync("one/app", "arm")).IsIndex);
        var log = await server.AccessLogAsync();
        Assert.Equal(getsBefore, log.Count(l => l.Contains("GET /v2/multi/app/blobs/", StringComparison.Ordinal)));
        Assert.Contains(log, l => l.Contains("POST /v2/one/app/blobs/uploads/?mount=", StringComparison.Ordinal) && l.Contains("\" 201 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Copying_a_set_of_platforms_makes_an_index_of_just_those()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var registry = new Registry($"http://{server.Host}");
        var (_, platforms) = await PushIndexAsync(registry, "multi/app", "linux/amd64", "linux/arm64", "linux/s390x");

        await registry.CopyAsync("multi/app:multi", "two/app:subset", [Platform.Parse("linux/amd64"), Platform.Parse("linux/s390x")]);

        var index = (await registry.GetManifestAsync("two/app", "subset")).Index!;
        Assert.Equal([platforms["linux/amd64"], platforms["linux/s390x"]], index.Manifests.Select(m => m.Digest));
    }

    [Fact]
    public async Task A_nested_index_is_copied_whole_and_pull_and_copy_find_a_platform_inside_it()
    {
        await using var first = await RegistryProcess.StartAsync();
        await using var second = await RegistryProcess.StartAsync();
        await using var source = new Registry($"http://{first.Host}");
        await using var target = new Registry($"http://{second.Host}");
        var (outerDigest, outerBytes, inner, platforms) = await PushNestedIndexAsync(source, "nest/app");

        var copied = await source.CopyAsync("nest/app:outer", target, "copy/app");

        Assert.Equal(outerDigest, copied);
        var raw = await Peer.RunAsync("skopeo", ["inspect", "--tls-verify=false", "--raw", $"docker://{second.Host}/copy/app:outer"]);
        Assert.Equal(outerBytes, System.Text.Encoding.UTF8.GetBytes(raw.TrimEnd('\n')));
        Assert.Equal(inner, await target.GetDigestAsync("copy/app", inner.ToString()));
        foreach (var (_, digest) in platforms) Assert.Equal(digest, await target.GetDigestAsync("copy/app", digest.ToString()));
        await using var arm = await target.PullImageAsync("copy/app", "outer", platform: Platform.Parse("linux/arm64"));
        Assert.Equal("arm64", arm.Platform.Architecture);
        Assert.Equal(platforms["linux/arm64"], await source.CopyAsync("nest/app:outer", target, "one/app:arm", [Platform.Parse("linux/arm64")]));
    }

    /// <summary>Pushes, as tag <paramref name="tag"/>, an index whose only entry is the index <paramref name="inner"/>; returns its digest.</summary>
    private static async Task<Digest> PushWrappingIndexAsync(Registry registry, string repository, Digest inner, string tag)
    {
        var size = (await registry.GetManifestAsync(repository, inner.ToString())).Bytes.Length;
        var wrapper = new IndexManifest { MediaType = MediaTypes.OciIndex, Manifests = [new Descriptor { MediaType = MediaTypes.OciIndex, Digest = inner, Size = size }] };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(wrapper, Dockerless.Manifests.ManifestJsonContext.Default.IndexManifest);
        await registry.Api.PutManifestAsync(repository, tag, bytes, MediaTypes.OciIndex, CancellationToken.None);
        return Digest.Compute(bytes);
    }

    [Fact]
    public async Task Indexes_nested_four_deep_are_followed_and_five_deep_are_refused_whether_copied_whole_or_by_platform()
    {
        await using var first = await RegistryProcess.StartAsync();
        await using var second = await RegistryProcess.StartAsync();
        await using var source = new Registry($"http://{first.Host}");
        await using var target = new Registry($"http://{second.Host}");
        var (outer, _, _, platforms) = await PushNestedIndexAsync(source, "deep/app");
        var three = await PushWrappingIndexAsync(source, "deep/app", outer, "three");
        var four = await PushWrappingIndexAsync(source, "deep/app", three, "four");
        await PushWrappingIndexAsync(source, "deep/app", four, "five");
        var arm = Platform.Parse("linux/arm64");

        Assert.Equal(four, await source.CopyAsync("deep/app:four", target, "copy/app:four"));
        Assert.Equal(platforms["linux/arm64"], await source.CopyAsync("deep/app:four", target, "copy/app:arm", [arm]));
        await using (var pulled = await source.PullImageAsync("deep/app", "four", platform: arm))
        {
            Assert.Equal("arm64", pulled.Platform.Architecture);
        }
        Func<Task>[] tooDeep =
        [
            () => source.CopyAsync("deep/app:five", target, "copy/app:five"),
            () => source.CopyAsync("deep/app:five", target, "copy/app:five", [arm]),
            async () => await (await source.PullImageAsync("deep/app", "five", platform: arm)).DisposeAsync(),
        ];
        foreach (var attempt in tooDeep)
        {
            var error = await Assert.ThrowsAsync<InvalidImageFormatException>(attempt);
            Assert.Contains("indexes nest more than 4 deep", error.Message, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("five", await target.ListTagsAsync("copy/app"));
    }

    [Fact]
    public async Task An_index_entry_whose_size_is_wrong_is_refused_by_copy_and_pull()
    {
        await using var first = await RegistryProcess.StartAsync();
        await using var second = await RegistryProcess.StartAsync();
        await using var source = new Registry($"http://{first.Host}");
        await using var target = new Registry($"http://{second.Host}");
        var (index, _) = await PushIndexAsync(source, "sized/app", "linux/amd64", "linux/arm64");
        var listed = (await source.GetManifestAsync("sized/app", index.ToString())).Index!;
        // The arm64 entry says 7 bytes more than its manifest has; its digest is right.
        var lying = listed with { Manifests = [.. listed.Manifests.Select(m => m.Platform!.Architecture == "arm64" ? m with { Size = m.Size + 7 } : m)] };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(lying, Dockerless.Manifests.ManifestJsonContext.Default.IndexManifest);
        await source.Api.PutManifestAsync("sized/app", "lying", bytes, MediaTypes.OciIndex, CancellationToken.None);
        var arm = Platform.Parse("linux/arm64");

        Func<Task>[] attempts =
        [
            () => source.CopyAsync("sized/app:lying", target, "copy/app:whole"),
            () => source.CopyAsync("sized/app:lying", target, "copy/app:arm", [arm]),
            async () => await (await source.PullImageAsync("sized/app", "lying", platform: arm)).DisposeAsync(),
        ];
        foreach (var attempt in attempts)
        {
            var error = await Assert.ThrowsAsync<DigestMismatchException>(attempt);
            Assert.Contains("(an index entry): size mismatch: expected", error.Message, StringComparison.Ordinal);
        }
        Assert.Empty(await target.ListRepositoriesAsync());
    }

    [Fact]
    public async Task An_index_listed_as_an_image_and_a_platform_no_index_offers_are_refused_by_copy_and_pull()
    {
        await using var first = await RegistryProcess.StartAsync();
        await using var second = await RegistryProcess.StartAsync();
        await using var source = new Registry($"http://{first.Host}");
        await using var target = new Registry($"http://{second.Host}");
        var (inner, _) = await PushIndexAsync(source, "mislabel/app", "linux/amd64", "linux/arm64");
        var innerSize = (await source.GetManifestAsync("mislabel/app", inner.ToString())).Bytes.Length;
        // The entry calls the index an image manifest of linux/ppc64le.
        var outer = new IndexManifest
        {
            MediaType = MediaTypes.OciIndex,
            Manifests = [new Descriptor { MediaType = MediaTypes.OciManifest, Digest = inner, Size = innerSize, Platform = Platform.Parse("linux/ppc64le") }],
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(outer, Dockerless.Manifests.ManifestJsonContext.Default.IndexManifest);
        await source.Api.PutManifestAsync("mislabel/app", "outer", bytes, MediaTypes.OciIndex, CancellationToken.None);
        var ppc = Platform.Parse("linux/ppc64le");
        var s390x = Platform.Parse("linux/s390x");

        foreach (var attempt in new Func<Task>[]
        {
            () => source.CopyAsync("mislabel/app:outer", target, "copy/app:ppc", [ppc]),
            async () => await (await source.PullImageAsync("mislabel/app", "outer", platform: ppc)).DisposeAsync(),
        })
        {
            var error = await Assert.ThrowsAsync<InvalidImageFormatException>(attempt);
            Assert.Contains($"mislabel/app@{inner}: listed as an image manifest ({MediaTypes.OciManifest}) but served as an index", error.Message, StringComparison.Ordinal);
        }
        foreach (var attempt in new Func<Task>[]
        {
            () => source.CopyAsync("mislabel/app:multi", target, "copy/app:s390x", [s390x]),
            async () => await (await source.PullImageAsync("mislabel/app", "multi", platform: s390x)).DisposeAsync(),
        })
        {
            var error = await Assert.ThrowsAsync<PlatformNotFoundException>(attempt);
            Assert.Contains("linux/s390x", error.Message, StringComparison.Ordinal);
            Assert.Contains("linux/arm64", error.Message, StringComparison.Ordinal);
        }
        Assert.Empty(await target.ListRepositoriesAsync());
    }

    /// <summary>
    /// A config naming no os and architecture is no image of the platform asked for, whichever
    /// call asks (docker pull --platform refuses it too); without a platform it is pulled as stored.
    /// </summary>
    [Fact]
    public async Task A_config_naming_no_platform_is_refused_for_a_platform_by_pull_copy_and_config()
    {
        await using var first = await RegistryProcess.StartAsync();
        await using var second = await RegistryProcess.StartAsync();
        await using var source = new Registry($"http://{first.Host}");
        await using var target = new Registry($"http://{second.Host}");
        var config = """{"rootfs":{"type":"layers","diff_ids":[]},"config":{}}"""u8.ToArray();
        var descriptor = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Digest.Compute(config), Size = config.Length };
        await Dockerless.Distribution.Blobs.BlobMover.MoveAsync(source, "bare/app", [new(descriptor, null, _ => Task.FromResult<Stream>(new MemoryStream(config)))], 4, null, CancellationToken.None);
        var manifest = new ImageManifest { MediaType = MediaTypes.OciManifest, Config = descriptor, Layers = [] };
        await source.Api.PutManifestAsync("bare/app", "v1", JsonSerializer.SerializeToUtf8Bytes(manifest, Dockerless.Manifests.ManifestJsonContext.Default.ImageManifest), MediaTypes.OciManifest, CancellationToken.None);
        var amd64 = Platform.Parse("linux/amd64");

        foreach (var attempt in new Func<Task>[]
        {
            async () => await (await source.PullImageAsync("bare/app", "v1", platform: amd64)).DisposeAsync(),
            () => source.CopyAsync("bare/app:v1", target, "copy/app:v1", [amd64]),
            () => source.GetConfigAsync("bare/app", "v1", amd64),
        })
        {
            var error = await Assert.ThrowsAsync<PlatformNotFoundException>(attempt);
            Assert.EndsWith("no image for platform linux/amd64; it has none (its config names no platform)", error.Message, StringComparison.Ordinal);
        }
        Assert.Empty(await target.ListRepositoriesAsync());
        await using var pulled = await source.PullImageAsync("bare/app", "v1");
        Assert.Equal(config, pulled.GetConfigBytes());
    }
}
