using System.Text.Json.Nodes;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Distribution;

/// <summary>Round trips with skopeo as the independent client on the other side of the real registry.</summary>
public sealed class SkopeoRoundTripTests(RegistryFixture registryFixture) : IClassFixture<RegistryFixture>
{
    /// <summary>Writes <paramref name="image"/> as an OCI layout (made here, so skopeo has something to push).</summary>
    private static async Task WriteLayoutAsync(Image image, string directory, string tag)
    {
        var blobs = Directory.CreateDirectory(Path.Combine(directory, "blobs", "sha256")).FullName;
        var config = image.GetConfigBytes();
        var manifest = image.GetManifest(config);
        await File.WriteAllBytesAsync(Path.Combine(blobs, Digest.Compute(config).Encoded), config);
        await File.WriteAllBytesAsync(Path.Combine(blobs, manifest.Digest.Encoded), manifest.Bytes);
        foreach (var layer in image.Layers)
        {
            await using var source = await layer.OpenAsync();
            await using var target = File.Create(Path.Combine(blobs, layer.Digest.Encoded));
            await source.CopyToAsync(target);
        }
        await File.WriteAllTextAsync(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["manifests"] = new JsonArray(new JsonObject
            {
                ["mediaType"] = manifest.MediaType,
                ["digest"] = manifest.Digest.ToString(),
                ["size"] = manifest.Bytes.Length,
                ["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = tag },
            }),
        };
        await File.WriteAllTextAsync(Path.Combine(directory, "index.json"), index.ToJsonString());
    }

    [Fact]
    public async Task Skopeo_pushes_and_we_pull_the_same_image()
    {
        var server = registryFixture.Server;
        var work = Directory.CreateTempSubdirectory("dockerless-skopeo-").FullName;
        try
        {
            await using var image = await RegistryRoundTripTests.SmallImageAsync("", text: "from skopeo");
            await WriteLayoutAsync(image, Path.Combine(work, "layout"), "v1");
            await Peer.RunAsync("skopeo", ["copy", "--dest-tls-verify=false", $"oci:{Path.Combine(work, "layout")}:v1", $"docker://{server.Host}/sk/app:v1"]);
            await using var registry = new Registry(server.Host);

            await using var pulled = await registry.PullImageAsync("sk/app", "v1");

            Assert.Equal(image.Layers.Select(l => l.DiffId), pulled.Layers.Select(l => l.DiffId));
            await using var tar = await pulled.Layers[0].OpenUncompressedAsync();
            using var reader = new System.Formats.Tar.TarReader(tar);
            var entry = await reader.GetNextEntryAsync();
            using var text = new StreamReader(entry!.DataStream!);
            Assert.Equal("from skopeo", await text.ReadToEndAsync());
            var raw = await Peer.RunAsync("skopeo", ["inspect", "--tls-verify=false", "--raw", $"docker://{server.Host}/sk/app:v1"]);
            Assert.Equal(Digest.Compute(System.Text.Encoding.UTF8.GetBytes(raw.TrimEnd('\n'))), await registry.GetDigestAsync("sk/app", "v1"));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task We_push_and_skopeo_copies_to_an_oci_layout_that_validates()
    {
        var server = registryFixture.Server;
        var work = Directory.CreateTempSubdirectory("dockerless-skopeo-").FullName;
        try
        {
            await using var registry = new Registry(server.Host);
            await using var image = await RegistryRoundTripTests.SmallImageAsync("ours/app");
            var digest = await registry.PushImageAsync(image);
            var layout = Path.Combine(work, "out");

            await Peer.RunAsync("skopeo", ["copy", "--src-tls-verify=false", $"docker://{server.Host}/ours/app:v1", $"oci:{layout}:v1"]);

            await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", "--ref", "name=v1", layout]);
            var config = await Peer.RunAsync("skopeo", ["inspect", "--tls-verify=false", "--config", $"docker://{server.Host}/ours/app:v1"]);
            Assert.Contains("/bin/sh", config, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(layout, "blobs", "sha256", digest.Encoded)));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
