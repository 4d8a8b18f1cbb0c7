using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Distribution;

/// <summary>Push, pull, tag, list and delete against the real distribution registry, anonymously.</summary>
public sealed class RegistryRoundTripTests
{
    internal static async Task<Image> SmallImageAsync(string name, string tag = "v1", string text = "hello")
    {
        var image = Image.Scratch(name, tag);
        image.AddLayer(await TempLayer.CreateAsync(new Dictionary<string, byte[]> { ["/hello.txt"] = System.Text.Encoding.UTF8.GetBytes(text) }));
        image.AddLayer(await TempLayer.CreateAsync(new Dictionary<string, byte[]> { ["/etc/second"] = "second layer"u8.ToArray() }));
        image.Config.Cmd = ["/bin/sh"];
        return image;
    }

    private static async Task<string> ReadAllAsync(Stream stream)
    {
        await using (stream)
        {
            using var reader = new StreamReader(stream);
            return await reader.ReadToEndAsync();
        }
    }

    [Fact]
    public async Task A_blob_under_1_MiB_goes_whole_in_the_PUT_and_a_larger_one_in_a_PATCH_before_it()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var registry = new Registry($"http://{server.Host}");
        await using var small = await TempLayer.CreateLargeAsync(900_000, seed: 51);
        await using var large = await TempLayer.CreateLargeAsync(1_200_000, seed: 52);
        await using var image = Image.Scratch("shape/app", "v1");
        image.AddLayer(small);
        image.AddLayer(large);

        await registry.PushImageAsync(image);

        var log = await server.AccessLogAsync();
        // The config and the small layer: one PUT each with the bytes; the large layer: a PATCH, then an empty PUT.
        var patch = Assert.Single(log, l => l.Contains("\"PATCH /v2/shape/app/blobs/uploads/", StringComparison.Ordinal));
        Assert.Contains("\" 202 ", patch, StringComparison.Ordinal);
        var puts = log.Where(l => l.Contains("\"PUT /v2/shape/app/blobs/uploads/", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, puts.Count);
        Assert.All(puts, put => Assert.Contains("\" 201 ", put, StringComparison.Ordinal));
        Assert.Contains(puts, put => put.Contains(small.Digest.Encoded, StringComparison.Ordinal));
        Assert.Contains(puts, put => put.Contains(large.Digest.Encoded, StringComparison.Ordinal));
        await using var pulled = await registry.PullImageAsync("shape/app", "v1");
        Assert.Equal([small.Digest, large.Digest], pulled.Layers.Select(l => l.Digest));
    }

    [Fact]
    public async Task Pushed_image_pulls_back_with_the_same_digests_and_bytes()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var registry = new Registry($"http://{server.Host}");
        await using var image = await SmallImageAsync("team/app");

        var digest = await registry.PushImageAsync(image, ["extra"]);

        await using var pulled = await registry.PullImageAsync("team/app", "v1");
        Assert.Equal(image.Layers.Select(l => l.Digest), pulled.Layers.Select(l => l.Digest));
        Assert.Equal(image.Layers.Select(l => l.DiffId), pulled.Layers.Select(l => l.DiffId));
        Assert.All(pulled.Layers, l => Assert.True(l.IsLocal));
        Assert.Equal(["/bin/sh"], pulled.Config.Cmd);
        Assert.Equal($"{server.Host}/team/app", pulled.Name);
        Assert.Equal(digest, await registry.GetDigestAsync("team/app", "extra"));
        await using (var byDigest = await registry.PullImageAsync($"team/app@{digest}", lazy: true))
        {
            Assert.Equal("", byDigest.Tag);
            Assert.Equal(pulled.Layers.Select(l => l.Digest), byDigest.Layers.Select(l => l.Digest));
        }
        var manifest = await registry.GetManifestAsync("team/app", digest.ToString());
        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
        Assert.Equal(digest, Digest.Compute(manifest.Bytes.Span));
        Assert.Equal(["/bin/sh"], (await registry.GetConfigAsync("team/app", "v1")).Config.Cmd);
        var configBlob = await ReadAllAsync(await registry.OpenBlobAsync("team/app", manifest.Manifest!.Config.Digest));
        Assert.Contains("\"/bin/sh\"", configBlob, StringComparison.Ordinal);

        // Pushing the unedited pulled image again sends the same manifest bytes and, after HEADs, no blob.
        var uploads = (await server.AccessLogAsync()).Count(l => l.Contains("/blobs/uploads/", StringComparison.Ordinal));
        pulled.Tag = "again";
        Assert.Equal(digest, await registry.PushImageAsync(pulled));
        Assert.Equal(uploads, (await server.AccessLogAsync()).Count(l => l.Contains("/blobs/uploads/", StringComparison.Ordinal)));
        Assert.Equal(["again", "extra", "v1"], (await registry.ListTagsAsync("team/app")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Lazy_pull_fetches_no_layer_until_read()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var registry = new Registry(server.Host);
        await using var image = await SmallImageAsync("lazy/app");
        await registry.PushImageAsync(image);

        await using var lazy = await registry.PullImageAsync($"{server.Host}/lazy/app", "v1", lazy: true);

        Assert.All(lazy.Layers, l => Assert.False(l.IsLocal));
        var afterPull = await server.AccessLogAsync();
        Assert.All(image.Layers, l => Assert.Empty(RegistryProcess.BlobBodies(afterPull, l.Digest)));
        var gz = await lazy.Layers[0].OpenUncompressedAsync();
        Assert.Contains("hello", await ReadAllAsync(gz), StringComparison.Ordinal);
        var afterRead = await server.AccessLogAsync();
        Assert.Single(RegistryProcess.BlobBodies(afterRead, image.Layers[0].Digest));
        Assert.Empty(RegistryProcess.BlobBodies(afterRead, image.Layers[1].Digest));
    }

    [Fact]
    public async Task Tag_adds_a_name_and_delete_by_tag_removes_every_tag_of_that_manifest()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var registry = new Registry($"http://{server.Host}");
        await using var image = await SmallImageAsync("del/app");
        var digest = await registry.PushImageAsync(image);

        Assert.Equal(digest, await registry.TagAsync("del/app", "v1", "v2"));
        Assert.Equal(["v1", "v2"], (await registry.ListTagsAsync("del/app")).Order(StringComparer.Ordinal));

        Assert.Equal(digest, await registry.DeleteAsync("del/app", "v2"));
        var gone = await Assert.ThrowsAsync<RegistryException>(() => registry.GetManifestAsync("del/app", "v1"));
        Assert.Equal("MANIFEST_UNKNOWN", gone.Code);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("del/app", gone.Repository);
    }

    [Fact]
    public async Task Delete_by_digest_removes_the_manifest()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var registry = new Registry($"http://{server.Host}");
        await using var image = await SmallImageAsync("del/digest");
        var digest = await registry.PushImageAsync(image);

        await registry.DeleteAsync("del/digest", digest.ToString());

        var gone = await Assert.ThrowsAsync<RegistryException>(() => registry.GetDigestAsync("del/digest", digest.ToString()));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Catalog_follows_Link_pages_of_the_real_registry()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var registry = new Registry($"http://{server.Host}");
        await using var image = await SmallImageAsync("x");
        var names = new[] { "a/one", "b/two", "c/three", "d/four", "e/five" };
        foreach (var name in names)
        {
            image.Name = name;
            await registry.PushImageAsync(image);
        }

        var all = await registry.ListRepositoriesAsync(pageSize: 2);

        Assert.Equal(names.Order(StringComparer.Ordinal), all);
        Assert.Equal(3, (await server.AccessLogAsync()).Count(l => l.Contains("GET /v2/_catalog", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Unknown_repository_is_a_typed_error()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var registry = new Registry($"http://{server.Host}");

        var error = await Assert.ThrowsAsync<RegistryException>(() => registry.PullImageAsync("no/such", "latest"));

        Assert.True(error.Code is "NAME_UNKNOWN" or "MANIFEST_UNKNOWN", error.Message);
        Assert.Contains("no/such", error.Message, StringComparison.Ordinal);
        Assert.Equal("get manifest", error.Operation);
    }

    [Fact]
    public async Task A_layer_whose_bytes_fail_their_digest_fails_the_push_at_once()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var registry = new Registry($"http://{server.Host}");
        await using var announced = await TempLayer.CreateAsync(new Dictionary<string, byte[]> { ["/a"] = "announced"u8.ToArray() });
        await using var served = await TempLayer.CreateAsync(new Dictionary<string, byte[]> { ["/a"] = "something else"u8.ToArray() });
        await using var image = Image.Scratch("corrupt/app", "v1");
        image.AddLayer(new MislabelledLayer(announced, served));

        await Assert.ThrowsAsync<DigestMismatchException>(() => registry.PushImageAsync(image));

        // The layer's one session, and the config's when it started before the failure cancelled
        // it (they move in parallel): a retry of the bad content would make a third.
        Assert.InRange(registry.Uploader.SessionsStarted, 1, 2);
    }

    /// <summary>Claims one layer's digest and size but serves another's bytes, checked against the claim.</summary>
    private sealed class MislabelledLayer(Layer announced, Layer served) : Layer
    {
        public override Digest DiffId => announced.DiffId;
        public override Digest Digest => announced.Digest;
        public override long Size => announced.Size;
        public override string MediaType => announced.MediaType;

        public override async Task<Stream> OpenAsync(CancellationToken cancellationToken = default)
            => new HashingStream(await served.OpenAsync(cancellationToken), Digest, Size, "mislabelled layer");
    }

    [Fact]
    public async Task A_name_with_another_registry_host_is_refused()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var registry = new Registry($"http://{server.Host}");
        await using var image = await SmallImageAsync("other.example.com/app");

        await Assert.ThrowsAsync<InvalidReferenceException>(() => registry.PushImageAsync(image));
    }
}
