using System.Text.Json;
using System.Text.Json.Nodes;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.Tests.Archives;

/// <summary>An index blob in an OCI layout: kept byte for byte while its platforms are unedited, replaced otherwise.</summary>
public sealed class MultiPlatformLayoutTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// A layout whose index.json names one index blob (as skopeo copy --all writes it) listing
    /// two platforms; returns the index's digest.
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
        var indexFile = Path.Combine(layout, "index.json");
        var flat = JsonNode.Parse(await File.ReadAllTextAsync(indexFile))!;
        var manifests = new JsonArray([.. flat["manifests"]!.AsArray().Select(m => (JsonNode)new JsonObject
        {
            ["mediaType"] = m!["mediaType"]!.GetValue<string>(),
            ["digest"] = m["digest"]!.GetValue<string>(),
            ["size"] = m["size"]!.GetValue<long>(),
            ["platform"] = m["platform"]!.DeepClone(),
        })]);
        var bytes = System.Text.Encoding.UTF8.GetBytes(new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = MediaTypes.OciIndex, ["manifests"] = manifests }.ToJsonString());
        var digest = Digest.Compute(bytes);
        await File.WriteAllBytesAsync(Path.Combine(layout, "blobs", "sha256", digest.Encoded), bytes);
        var top = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["manifests"] = new JsonArray(new JsonObject
            {
                ["mediaType"] = MediaTypes.OciIndex,
                ["digest"] = digest.ToString(),
                ["size"] = bytes.Length,
                ["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = "v1" },
            }),
        };
        await File.WriteAllTextAsync(indexFile, top.ToJsonString());
        return digest;
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
        var images = await Image.LoadAsync(_dir["nested"], new ImageLoadOptions { AllPlatforms = true });

        await Image.WriteOciLayoutAsync(_dir["copy"], images);

        Assert.Equal(2, images.Count);
        var entry = Assert.Single(Entries(_dir["copy"]));
        Assert.Equal(digest.ToString(), entry.GetProperty("digest").GetString());
        Assert.Equal("v1", entry.GetProperty("annotations").GetProperty("org.opencontainers.image.ref.name").GetString());
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_dir["nested"], "blobs", "sha256", digest.Encoded)),
            await File.ReadAllBytesAsync(Path.Combine(_dir["copy"], "blobs", "sha256", digest.Encoded)));
    }

    [Fact]
    public async Task An_edited_platform_gets_one_entry_per_platform_instead_of_the_index()
    {
        await WriteNestedLayoutAsync(_dir["nested"]);
        var images = await Image.LoadAsync(_dir["nested"], new ImageLoadOptions { AllPlatforms = true });
        images[1].Config.Env.Add("EDITED=1");

        await Image.WriteOciLayoutAsync(_dir["edited"], images);

        Assert.Equal(["amd64", "arm64"], Entries(_dir["edited"]).Select(e => e.GetProperty("platform").GetProperty("architecture").GetString()));
        var reloaded = await Image.LoadAsync(_dir["edited"], new ImageLoadOptions { AllPlatforms = true });
        Assert.Equal(["EDITED=1"], reloaded[1].Config.Env);
    }
}
