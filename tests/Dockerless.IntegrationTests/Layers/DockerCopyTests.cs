using System.Formats.Tar;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Layers;

/// <summary>A host directory in a layer as docker's COPY puts it there, built by a real dockerd and compared entry by entry.</summary>
[Collection(DockerDaemonTests.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DockerCopyTests(DockerDaemon docker) : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// <c>COPY src /app</c> of a 0700 directory (what mktemp -d makes), by the classic builder:
    /// docker gives /app 0755 while the 0700 directory and 0600 file inside keep their modes,
    /// all owned by root. The layer builder must give the same.
    /// </summary>
    [Fact]
    public async Task A_private_directory_copied_to_app_gets_the_modes_and_owners_docker_gives_it()
    {
        var source = Directory.CreateDirectory(_dir["context/src"], Private).FullName;
        Directory.CreateDirectory(Path.Combine(source, "private"), Private);
        await File.WriteAllTextAsync(Path.Combine(source, "secret"), "s");
        File.SetUnixFileMode(Path.Combine(source, "secret"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllTextAsync(_dir["context/Dockerfile"], "FROM scratch\nCOPY src /app\n");
        // The docker CLI on PATH may be one that needs buildx for BuildKit; the classic builder is in dockerd.
        var classic = new Dictionary<string, string>(docker.Environment) { ["DOCKER_BUILDKIT"] = "0" };
        var tag = $"dockerless-test/copy:{Guid.NewGuid():N}";
        await Peer.RunAsync("docker", ["build", "--iidfile", _dir["iid"], "-t", tag, _dir["context"]], classic);
        var id = (await File.ReadAllTextAsync(_dir["iid"])).Trim();
        try
        {
            await docker.RunAsync("save", "-o", _dir["copied.tar"], tag);
            await using var copied = Assert.Single(await Image.LoadAsync(_dir["copied.tar"]));
            await using var ours = await Layer.FromPathAsync(source, "/app");

            var theirs = await ModesAndOwnersAsync(Assert.Single(copied.Layers));
            Assert.Equal([("app/", (UnixFileMode)0x1ED, 0, 0), ("app/private/", Private, 0, 0), ("app/secret", (UnixFileMode)0x180, 0, 0)], theirs);
            Assert.Equal(theirs, await ModesAndOwnersAsync(ours));
        }
        finally
        {
            await docker.RemoveImageAndContainersAsync(id);
        }
    }

    /// <summary>
    /// What docker makes of a layer added on top that writes no parent directory (what umoci
    /// insert writes; containerd and umoci then keep the base's directories): its applier makes
    /// each parent the layer does not list in that layer's own directory, 0755 and root-owned, so
    /// the base's 0700 /srv and 1777 /tmp show as 0755, as they did with the 0755 entries a layer
    /// wrote before. Keeping them under docker would need entries carrying the base's own modes.
    /// </summary>
    [Fact]
    public async Task Under_docker_the_base_directories_a_layer_on_top_goes_into_become_0755()
    {
        var image = await BusyboxImage.BuildAsync(_dir.Path, "dockerless-test/parents", Guid.NewGuid().ToString("N"));
        image.AddLayer(await TestLayer.BuildAsync(_dir["dirs.tar.gz"],
            [new("srv/", Mode: Private), new("tmp/", Mode: (UnixFileMode)0x3FF)]));
        await image.AddLayerContentsAsync(new Dictionary<string, byte[]> { ["/srv/app/x"] = "x"u8.ToArray(), ["/tmp/y"] = "y"u8.ToArray() });
        var id = OwnImage.Label(image);
        await image.WriteFileAsync(_dir["parents.tar"]);
        try
        {
            await docker.RunAsync("load", "-i", _dir["parents.tar"]);
            var modes = await docker.RunAsync("run", "--rm", "--network=none", id, "stat", "-c", "%n %a", "/srv", "/tmp", "/srv/app");
            Assert.Equal(["/srv 755", "/tmp 755", "/srv/app 755"], modes.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            await docker.RemoveImageAndContainersAsync(id);
        }
    }

    private static async Task<List<(string Name, UnixFileMode Mode, int Uid, int Gid)>> ModesAndOwnersAsync(Layer layer)
    {
        var entries = new List<(string, UnixFileMode, int, int)>();
        await using var tar = await layer.OpenUncompressedAsync();
        await using var reader = new TarReader(tar);
        while (await reader.GetNextEntryAsync() is { } entry) entries.Add((entry.Name, entry.Mode, entry.Uid, entry.Gid));
        return entries;
    }
}
