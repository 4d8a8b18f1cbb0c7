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

    private static async Task<List<(string Name, UnixFileMode Mode, int Uid, int Gid)>> ModesAndOwnersAsync(Layer layer)
    {
        var entries = new List<(string, UnixFileMode, int, int)>();
        await using var tar = await layer.OpenUncompressedAsync();
        await using var reader = new TarReader(tar);
        while (await reader.GetNextEntryAsync() is { } entry) entries.Add((entry.Name, entry.Mode, entry.Uid, entry.Gid));
        return entries;
    }
}
