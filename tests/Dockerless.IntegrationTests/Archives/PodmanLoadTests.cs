using System.Text.Json;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Archives;

/// <summary>podman (containers/image, like skopeo) loads our docker-archive and OCI archive, into a private store.</summary>
public sealed class PodmanLoadTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    // No `podman system reset` here: even with a private --root it clears machine-wide state that
    // podman runs on the default store (other tests, in parallel) rely on. Everything this podman
    // writes is under _dir, so removing _dir removes it all.
    public void Dispose()
    {
        // The vfs store holds layer directories without write permission: give them that first.
        if (!OperatingSystem.IsWindows())
        {
            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
            foreach (var directory in Directory.EnumerateDirectories(_dir.Path, "*", options))
            {
                try { File.SetUnixFileMode(directory, File.GetUnixFileMode(directory) | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }
        _dir.Dispose();
    }

    /// <summary>
    /// A podman whose every directory is private to this test: its store and run root, libpod's
    /// tmpdir (by default the machine's /run/libpod, whose alive file tells podman whether the
    /// machine rebooted), the network configs and the volumes.
    /// </summary>
    private string[] Store =>
    [
        "--root", _dir["root"], "--runroot", _dir["run"], "--tmpdir", _dir["tmp"], "--network-config-dir", _dir["networks"], "--volumepath", _dir["volumes"],
        "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs", "--events-backend", "none",
    ];

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
