using System.Text;
using System.Text.Json.Nodes;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.Tests.Archives;

/// <summary>Garbage collection of an OCI layout: what index.json reaches stays, the rest goes.</summary>
public sealed class LayoutGarbageCollectionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Layout => _dir["layout"];

    private OciLayoutLocation Location => new() { Path = Layout };

    private async Task<Image> SampleAsync(string tag, string file)
    {
        var layer = await TestLayer.BuildAsync(_dir[$"layer-{Guid.NewGuid():N}"], [new(file, Encoding.UTF8.GetBytes(file))]);
        var image = TestLayer.ImageOf("app", tag, layer);
        image.Config.Env.Add($"FILE={file}");
        return image;
    }

    private List<string> BlobFiles() => [.. Directory.EnumerateFiles(Path.Combine(Layout, "blobs"), "*", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(Layout, f)).Order(StringComparer.Ordinal)];

    private static List<string> Paths(IEnumerable<Descriptor> descriptors) => [.. descriptors.Select(d => ArchiveContents.BlobPath(d.Digest))];

    private static List<string> BlobsOf(Image image)
    {
        var manifest = image.GetManifest(image.GetConfigBytes());
        return [ArchiveContents.BlobPath(manifest.Digest), ArchiveContents.BlobPath(manifest.Manifest.Config.Digest), .. Paths(manifest.Manifest.Layers)];
    }

    [Fact]
    public async Task The_blobs_of_a_replaced_tag_go_and_every_reachable_blob_stays()
    {
        var old = await SampleAsync("v1", "old");
        await old.WriteOciLayoutAsync(Layout);
        var kept = await SampleAsync("v2", "kept");
        await kept.WriteOciLayoutAsync(Layout);
        var replacement = await SampleAsync("v1", "new");
        await replacement.WriteOciLayoutAsync(Layout);

        var dry = await Location.CollectGarbageAsync(dryRun: true);
        Assert.Equal(BlobsOf(old).Order(StringComparer.Ordinal), dry.Blobs.Select(b => b.Path).Order(StringComparer.Ordinal));
        Assert.Equal(9, BlobFiles().Count);

        var result = await Location.CollectGarbageAsync();
        Assert.Equal(dry with { DryRun = false }, result with { Blobs = dry.Blobs, Temporaries = dry.Temporaries });
        Assert.Equal([.. BlobsOf(kept).Concat(BlobsOf(replacement)).Order(StringComparer.Ordinal)], BlobFiles());
        Assert.Equal(6, result.KeptBlobs);
        Assert.Equal(["v1", "v2"], (await Image.LoadAsync(Layout)).Select(i => i.Tag).Order(StringComparer.Ordinal));
        Assert.Empty((await Location.CollectGarbageAsync()).Blobs);
    }

    [Fact]
    public async Task Dead_writers_temporaries_go_old_temporaries_in_blobs_too_and_a_live_writers_stay()
    {
        await (await SampleAsync("v1", "one")).WriteOciLayoutAsync(Layout);
        var dead = Directory.CreateDirectory(Path.Combine(Layout, ".dockerless-tmp-dead")).FullName;
        await File.WriteAllTextAsync(Path.Combine(dead, "alive"), "");
        await File.WriteAllTextAsync(Path.Combine(dead, "sha256-abc"), "12345");
        var live = Directory.CreateDirectory(Path.Combine(Layout, ".dockerless-tmp-live")).FullName;
        await File.WriteAllTextAsync(Path.Combine(live, "alive"), "");
        using var held = FileLock.TryAcquireExisting(Path.Combine(live, "alive"));
        var oldTemporary = Path.Combine(Layout, "blobs", "sha256", $".{new string('a', 64)}.tmp-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(oldTemporary, "partial");

        var result = await Location.CollectGarbageAsync();

        Assert.Equal([".dockerless-tmp-dead"], result.Temporaries.Select(t => t.Path));
        Assert.Equal(5, result.Temporaries[0].Size);
        Assert.Equal([Path.GetRelativePath(Layout, oldTemporary)], result.Blobs.Select(b => b.Path));
        Assert.False(Directory.Exists(dead) || File.Exists(oldTemporary));
        Assert.True(Directory.Exists(live));
    }

    [Fact]
    public async Task An_index_under_a_tag_keeps_every_platforms_blobs()
    {
        var amd = await SampleAsync("v1", "amd");
        amd.Platform = Platform.Parse("linux/amd64");
        var arm = await SampleAsync("v1", "arm");
        arm.Platform = Platform.Parse("linux/arm64");
        await Image.WriteOciLayoutAsync(Layout, [amd, arm]);
        var before = BlobFiles();

        var result = await Location.CollectGarbageAsync();

        Assert.Empty(result.Blobs);
        Assert.Equal(7, result.KeptBlobs); // the index, and a manifest, config and layer per platform
        Assert.Equal(before, BlobFiles());
    }

    [Fact]
    public async Task A_referrer_listed_in_index_json_keeps_its_subject()
    {
        var subject = await SampleAsync("v1", "subject");
        await subject.WriteOciLayoutAsync(Layout);
        var manifest = subject.GetManifest(subject.GetConfigBytes());
        var empty = "{}"u8.ToArray();
        var emptyDigest = Digest.Compute(empty);
        await File.WriteAllBytesAsync(Path.Combine(Layout, ArchiveContents.BlobPath(emptyDigest)), empty);
        var referrer = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["artifactType"] = "application/vnd.example.sbom",
            ["config"] = new JsonObject { ["mediaType"] = "application/vnd.oci.empty.v1+json", ["digest"] = emptyDigest.ToString(), ["size"] = 2 },
            ["layers"] = new JsonArray(),
            ["subject"] = new JsonObject { ["mediaType"] = MediaTypes.OciManifest, ["digest"] = manifest.Digest.ToString(), ["size"] = manifest.Bytes.Length },
        }.ToJsonString());
        var referrerDigest = Digest.Compute(referrer);
        await File.WriteAllBytesAsync(Path.Combine(Layout, ArchiveContents.BlobPath(referrerDigest)), referrer);
        var index = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Layout, "index.json")))!;
        index["manifests"] = new JsonArray(new JsonObject { ["mediaType"] = MediaTypes.OciManifest, ["digest"] = referrerDigest.ToString(), ["size"] = referrer.Length });
        await File.WriteAllTextAsync(Path.Combine(Layout, "index.json"), index.ToJsonString());

        var result = await Location.CollectGarbageAsync();

        Assert.Empty(result.Blobs);
        Assert.Equal(5, result.KeptBlobs);
    }

    [Fact]
    public async Task A_damaged_manifest_stops_the_collection_before_anything_is_removed()
    {
        await (await SampleAsync("v1", "one")).WriteOciLayoutAsync(Layout);
        var current = await SampleAsync("v1", "two");
        await current.WriteOciLayoutAsync(Layout);
        var manifest = Path.Combine(Layout, BlobsOf(current)[0]);
        await File.AppendAllTextAsync(manifest, " ");
        var before = BlobFiles();

        await Assert.ThrowsAsync<DigestMismatchException>(() => Location.CollectGarbageAsync());
        Assert.Equal(before, BlobFiles());
    }

    [Fact]
    public async Task A_directory_that_is_no_layout_is_refused()
    {
        Directory.CreateDirectory(Layout);
        var e = await Assert.ThrowsAsync<InvalidImageFormatException>(() => Location.CollectGarbageAsync());
        Assert.Contains("not an OCI image layout", e.Message, StringComparison.Ordinal);
    }
}
