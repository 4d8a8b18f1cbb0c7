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
}
