using System.Text.Json;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Archives;

/// <summary>skopeo reads what we write, and we read (and rewrite) what skopeo writes.</summary>
public sealed class SkopeoArchiveTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<List<string>> SkopeoLayersAsync(string location)
    {
        using var inspect = JsonDocument.Parse(await Peer.RunAsync("skopeo", ["inspect", location]));
        return [.. inspect.RootElement.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()!)];
    }

    [Fact]
    public async Task Skopeo_inspects_our_docker_archive_and_oci_archive()
    {
        var image = await BusyboxImage.BuildAsync(_dir.Path, "dockerless-test/skopeo", "v1");
        await image.WriteFileAsync(_dir["a.tar"]);
        await image.WriteOciArchiveAsync(_dir["oci.tar"]);

        Assert.Equal(image.Layers.Select(l => l.DiffId.ToString()), await SkopeoLayersAsync($"docker-archive:{_dir["a.tar"]}"));
        Assert.Equal(image.Layers.Select(l => l.Digest.ToString()), await SkopeoLayersAsync($"oci-archive:{_dir["oci.tar"]}:v1"));
        using var config = JsonDocument.Parse(await Peer.RunAsync("skopeo", ["inspect", "--config", $"docker-archive:{_dir["a.tar"]}"]));
        Assert.Equal("/bin/sh", config.RootElement.GetProperty("config").GetProperty("Cmd")[0].GetString());
    }

    [Fact]
    public async Task A_docker_archive_written_by_skopeo_is_read_and_rewritten_with_the_same_layer_digests()
    {
        var image = await BusyboxImage.BuildAsync(_dir.Path, "dockerless-test/skopeo", "v1");
        await image.WriteOciLayoutAsync(_dir["layout"]);
        await Peer.RunAsync("skopeo", ["copy", $"oci:{_dir["layout"]}:v1", $"docker-archive:{_dir["skopeo.tar"]}:dockerless-test/from-skopeo:v2"]);

        var loaded = Assert.Single(await Image.LoadAsync(_dir["skopeo.tar"]));
        // skopeo writes the normalised name into RepoTags.
        Assert.Equal(("docker.io/dockerless-test/from-skopeo", "v2"), (loaded.Name, loaded.Tag));
        var skopeoLayers = await SkopeoLayersAsync($"docker-archive:{_dir["skopeo.tar"]}");
        Assert.Equal(skopeoLayers, loaded.Layers.Select(l => l.Digest.ToString()));
        Assert.Equal(image.Layers.Select(l => l.DiffId), loaded.Layers.Select(l => l.DiffId));

        await loaded.WriteFileAsync(_dir["rewritten.tar"]);
        Assert.Equal(skopeoLayers, await SkopeoLayersAsync($"docker-archive:{_dir["rewritten.tar"]}"));
    }

    [Fact]
    public async Task An_oci_layout_written_by_skopeo_is_read_with_its_manifest_bytes_kept()
    {
        var image = await BusyboxImage.BuildAsync(_dir.Path, "dockerless-test/skopeo", "v1");
        await image.WriteFileAsync(_dir["a.tar"]);
        await Peer.RunAsync("skopeo", ["copy", $"docker-archive:{_dir["a.tar"]}", $"oci:{_dir["skopeo-layout"]}:v3"]);

        var loaded = Assert.Single(await Image.LoadAsync(_dir["skopeo-layout"]));
        Assert.Equal(("", "v3"), (loaded.Name, loaded.Tag));
        Assert.Equal(image.Layers.Select(l => l.DiffId), loaded.Layers.Select(l => l.DiffId));
        var manifestDigest = loaded.GetManifest(loaded.GetConfigBytes()).Digest;
        using var index = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_dir["skopeo-layout"], "index.json")));
        Assert.Equal(index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString(), manifestDigest.ToString());

        await loaded.WriteOciArchiveAsync(_dir["again.tar"]);
        Assert.Equal(await SkopeoLayersAsync($"oci:{_dir["skopeo-layout"]}:v3"), await SkopeoLayersAsync($"oci-archive:{_dir["again.tar"]}:v3"));
    }
}
