using System.Text;
using Dockerless.IntegrationTests.Cli;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Building;

/// <summary>
/// What the differential build tests share, made once: the corpus of Dockerfiles
/// (<c>Building/Corpus/*.Dockerfile</c>), a copy of its context with archives made by the real
/// <c>tar</c>, <c>bzip2</c> and <c>xz</c>, and a busybox base with <c>/etc/passwd</c> and
/// <c>/etc/group</c> and the applets RUN cases call, as a docker-archive for us and loaded into the daemon for docker.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BuildCorpus : IAsyncLifetime, IDisposable
{
    /// <summary>The daemon's name for the base image.</summary>
    public const string DaemonBase = "dockerless-build-base:1";

    private readonly TempDirectory _dir = new();

    /// <summary>Busybox applets the RUN cases call, linked in the base.</summary>
    private static readonly string[] RunApplets = ["mkdir", "rm", "touch", "chmod", "chown", "ln", "mv", "cp", "id", "pwd", "true"];

    /// <summary>The corpus folder in the repository.</summary>
    public static string Folder { get; } = Path.Combine(CliTool.RepositoryRoot, "tests", "Dockerless.IntegrationTests", "Building", "Corpus");

    /// <summary>Every case's name (its file name without <c>.Dockerfile</c>).</summary>
    public static TheoryData<string> Cases
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var file in Directory.GetFiles(Folder, "*.Dockerfile").Order(StringComparer.Ordinal)) data.Add(Path.GetFileNameWithoutExtension(file));
            return data;
        }
    }

    /// <summary>The build context: the corpus's context and the archives ADD extracts.</summary>
    public string Context => _dir["context"];

    /// <summary>The base as a location we read (<c>docker-archive:...</c>).</summary>
    public string BaseLocation => $"docker-archive:{_dir["base.tar"]}:{DaemonBase}";

    /// <summary>A directory for one test's outputs.</summary>
    public string NewDirectory() => Directory.CreateDirectory(_dir[Guid.NewGuid().ToString("N")[..8]]).FullName;

    public async Task InitializeAsync()
    {
        await Peer.RunAsync("cp", ["-a", Path.Combine(Folder, "context"), Context]);
        var archived = _dir["archived"];
        Directory.CreateDirectory(Path.Combine(archived, "in", "side"));
        await File.WriteAllTextAsync(Path.Combine(archived, "in", "side", "file.txt"), "from an archive\n");
        File.SetUnixFileMode(Path.Combine(archived, "in", "side", "file.txt"), (UnixFileMode)0x1ED);
        await Peer.RunAsync("ln", ["-s", "side/file.txt", Path.Combine(archived, "in", "link")]);
        foreach (var (flag, name) in new[] { ("-cf", "archive.tar"), ("-czf", "archive.tar.gz"), ("-cjf", "archive.tar.bz2"), ("-cJf", "archive.tar.xz") })
        {
            await Peer.RunAsync("tar", ["--owner=3", "--group=4", "--numeric-owner", flag, Path.Combine(Context, name), "-C", archived, "in"]);
        }
        await using var image = await BusyboxImage.BuildAsync(_dir.Path, "dockerless-build-base", "1");
        var users = "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n";
        var groups = "root:x:0:\napp:x:1001:\nstaff:x:50:app\n";
        await image.AddLayerContentsAsync(new Dictionary<string, byte[]>
        {
            ["/etc/passwd"] = Encoding.UTF8.GetBytes(users),
            ["/etc/group"] = Encoding.UTF8.GetBytes(groups),
            // A base holds /home: a COPY --chown under it makes only what is missing (docs/build.md).
            ["/home/.keep"] = [],
        });
        // The applets the RUN cases use, beside the base's own.
        var applets = new LayerBuilder { ParentsFromBelow = true };
        foreach (var applet in RunApplets) applets.AddSymbolicLink("/bin/" + applet, "busybox");
        image.AddLayer(await applets.BuildAsync());
        await image.WriteDockerArchiveAsync(_dir["base.tar"]);
    }

    /// <summary>Loads the base into <paramref name="daemon"/> once.</summary>
    public async Task LoadBaseAsync(DockerDaemon daemon)
    {
        if (!await daemon.HasImageAsync(DaemonBase)) await daemon.RunAsync("load", "-i", _dir["base.tar"]);
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _dir.Dispose();
}
