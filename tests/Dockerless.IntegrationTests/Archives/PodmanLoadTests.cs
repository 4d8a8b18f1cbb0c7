using System.Text.Json;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Archives;

/// <summary>podman (containers/image, like skopeo) loads our docker-archive and OCI archive, into a private store.</summary>
public sealed class PodmanLoadTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // The vfs store may hold read-only directories; podman's own reset clears it properly.
        await Peer.TryRunAsync("podman", [.. Store, "system", "reset", "--force"]);
    }

    public void Dispose() => _dir.Dispose();

    private string[] Store => ["--root", _dir["root"], "--runroot", _dir["run"], "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs", "--events-backend", "none"];

    [Fact]
    public async Task Podman_loads_our_docker_archive_and_oci_archive()
    {
        var image = await BusyboxImage.BuildAsync(_dir.Path, "localhost/dockerless-test/podman", "v1");
        await image.WriteFileAsync(_dir["a.tar"]);
        await image.WriteOciArchiveAsync(_dir["oci.tar"]);

        await Peer.RunAsync("podman", [.. Store, "load", "-i", _dir["a.tar"]]);
        var fromOci = await Peer.RunAsync("podman", [.. Store, "load", "-i", _dir["oci.tar"]]);
        Assert.Contains("Loaded image", fromOci, StringComparison.Ordinal);
        var images = await Peer.RunAsync("podman", [.. Store, "images", "--format", "{{.Repository}}:{{.Tag}}"]);
        Assert.Contains("localhost/dockerless-test/podman:v1", images, StringComparison.Ordinal);
        var digests = await Peer.RunAsync("podman", [.. Store, "image", "inspect", "--format", "{{json .RootFS.Layers}}", "localhost/dockerless-test/podman:v1"]);
        Assert.All(image.Layers, l => Assert.Contains(l.DiffId.ToString(), digests, StringComparison.Ordinal));
    }

    // podman pairs history entries with layers as Docker does; a base whose history describes
    // fewer layers than it has must not push the new layer's entry down onto an older layer.
    [Fact]
    public async Task A_layer_added_to_a_base_with_partial_history_gets_its_own_entry()
    {
        // A base of two layers whose history describes only the bottom one.
        var image = Image.Scratch("localhost/dockerless-test/history", "v1");
        image.AddLayerContents(new Dictionary<string, byte[]> { ["/a.txt"] = new byte[1] });
        image.AddLayerContents(new Dictionary<string, byte[]> { ["/b.txt"] = new byte[200_000] });
        image.History.RemoveAt(1);
        await image.WriteFileAsync(_dir["base.tar"]);
        var loaded = Assert.Single(await Image.LoadAsync(_dir["base.tar"]));
        loaded.AddLayerContents(new Dictionary<string, byte[]> { ["/c.txt"] = new byte[600_000] });
        await loaded.WriteFileAsync(_dir["a.tar"]);

        await Peer.RunAsync("podman", [.. Store, "load", "-i", _dir["a.tar"]]);
        using var json = JsonDocument.Parse(await Peer.RunAsync("podman", [.. Store, "history", "--format", "json", "localhost/dockerless-test/history:v1"]));
        // Top first: each entry against the layer of its size (c.txt 600 kB, b.txt 200 kB, a.txt tiny).
        var rows = json.RootElement.EnumerateArray().Select(r => (
            CreatedBy: r.TryGetProperty("CreatedBy", out var by) ? by.GetString() : null,
            Comment: r.TryGetProperty("comment", out var comment) ? comment.GetString() : null,
            Size: r.GetProperty("size").GetInt64())).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal("dockerless add-layer-contents /c.txt", rows[0].CreatedBy);
        Assert.InRange(rows[0].Size, 600_000, 610_000);
        Assert.Equal(Image.PlaceholderComment, rows[1].Comment);
        Assert.InRange(rows[1].Size, 200_000, 210_000);
        Assert.Equal("dockerless add-layer-contents /a.txt", rows[2].CreatedBy);
        Assert.InRange(rows[2].Size, 1, 10_000);
    }
}
