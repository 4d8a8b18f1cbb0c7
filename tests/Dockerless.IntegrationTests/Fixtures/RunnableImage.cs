using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Dockerless.IntegrationTests.Fixtures;

/// <summary>
/// A busybox image made to exercise <c>run</c>: a named USER (<c>app</c>, 1000:1000, also in group
/// <c>extra</c> 2000), a WORKDIR the image lacks, ENV, an ENTRYPOINT with a CMD, a 1777 /tmp, a
/// VOLUME holding a file, and /etc/passwd and /etc/group to look users up in; its two upper
/// layers change <c>/w</c> with whiteouts, an opaque directory, a hard link and a path whited out
/// then added again, which an overlay of the cached layers must show as docker's overlay2 does.
/// Built once per test class, written as a docker-archive; never downloaded.
/// </summary>
public sealed class RunnableImage : IAsyncLifetime, IDisposable
{
    public static readonly string[] Applets =
    [
        "sh", "id", "pwd", "env", "cat", "ls", "grep", "sort", "sleep", "touch", "stat", "mkdir", "echo", "kill",
        "tr", "sed", "true", "false", "head", "wc", "hostname", "mount", "readlink", "mknod", "rm", "test", "ln",
    ];

    public const string DataText = "volume content\n";

    private readonly TempDirectory _directory = new();

    /// <summary>The image (its layer blobs live in the fixture's directory).</summary>
    public Image Image { get; private set; } = null!;

    /// <summary>The image as a docker-archive, for <c>docker load</c> and the CLI.</summary>
    public string Archive => _directory["runnable.tar"];

    /// <summary>The name it has in a daemon after <c>docker load</c>.</summary>
    public string Reference { get; } = $"dockerless-runnable:{Guid.NewGuid():N}";

    public string Location => $"docker-archive:{Archive}";

    public async Task InitializeAsync()
    {
        // Every run test needs both runtimes and the seccomp profile: a missing one fails here, naming its package.
        Peer.Require("runc");
        Peer.Require("crun");
        Peer.Require(Peer.SeccompProfile);
        var busybox = Peer.Require("busybox");
        var real = new FileInfo(busybox).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? busybox;
        var colon = Reference.IndexOf(':', StringComparison.Ordinal);
        Image = TestLayer.ImageOf(Reference[..colon], Reference[(colon + 1)..],
            await LayerAsync("base", writer => Entries(writer, real)), await LayerAsync("changes", Changes), await LayerAsync("again", AddedAgain));
        Image.Config.User = "app";
        Image.Config.WorkingDir = "/home/app/work";
        Image.Config.Env.Add("PATH=/bin");
        Image.Config.Env.Add("GREETING=hello world");
        Image.Config.Entrypoint = ["/bin/sh", "-c"];
        Image.Config.Cmd = ["echo \"$GREETING from $(id -un) in $(pwd)\""];
        Image.Config.Volumes.Add("/data");
        await Image.WriteFileAsync(Archive);
    }

    private static async Task Entries(TarWriter writer, string busybox)
    {
        await AddDirectory(writer, "bin/", 0, 0, "755");
        await using (var binary = File.OpenRead(busybox))
        {
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "bin/busybox") { Mode = Mode("755"), DataStream = binary, ModificationTime = DateTimeOffset.UnixEpoch });
        }
        foreach (var applet in Applets)
        {
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, $"bin/{applet}") { LinkName = "busybox", ModificationTime = DateTimeOffset.UnixEpoch });
        }
        await AddDirectory(writer, "etc/", 0, 0, "755");
        await AddFile(writer, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:App:/home/app:/bin/sh\n");
        await AddFile(writer, "etc/group", "root:x:0:\napp:x:1000:\nextra:x:2000:app\n");
        await AddDirectory(writer, "root/", 0, 0, "700");
        await AddDirectory(writer, "home/", 0, 0, "755");
        await AddDirectory(writer, "home/app/", 1000, 1000, "755");
        await AddDirectory(writer, "tmp/", 0, 0, "1777");
        await AddDirectory(writer, "data/", 1000, 1000, "755");
        await AddFile(writer, "data/file.txt", DataText);
        await AddDirectory(writer, "w/", 0, 0, "755");
        await AddFile(writer, "w/keep", "keep\n");
        await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.HardLink, "w/hard") { LinkName = "w/keep", ModificationTime = DateTimeOffset.UnixEpoch });
        await AddFile(writer, "w/gone", "gone\n");
        await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "w/link") { LinkName = "keep", ModificationTime = DateTimeOffset.UnixEpoch });
        await AddDirectory(writer, "w/dir/", 0, 0, "755");
        await AddFile(writer, "w/dir/old", "old\n");
        await AddDirectory(writer, "w/opq/", 0, 0, "755");
        await AddFile(writer, "w/opq/old1", "old1\n");
        await AddFile(writer, "w/opq/old2", "old2\n");
        await AddDirectory(writer, "w/sub/", 0, 0, "755");
        await AddDirectory(writer, "w/sub/deep/", 0, 0, "755");
        await AddFile(writer, "w/sub/deep/file", "deep\n");
    }

    /// <summary>Whiteouts of a file, a symlink's neighbour and a whole directory, an opaque directory, a new file.</summary>
    private static async Task Changes(TarWriter writer)
    {
        await AddDirectory(writer, "w/", 0, 0, "755");
        await AddFile(writer, "w/.wh.gone", "");
        await AddFile(writer, "w/dir/.wh.old", "");
        await AddDirectory(writer, "w/opq/", 0, 0, "755");
        await AddFile(writer, "w/opq/.wh..wh..opq", "");
        await AddFile(writer, "w/opq/new", "new\n");
        await AddFile(writer, "w/.wh.sub", "");
        await AddFile(writer, "w/added", "added\n");
    }

    /// <summary>A path whited out below, added again; a symlink whited out.</summary>
    private static async Task AddedAgain(TarWriter writer)
    {
        await AddDirectory(writer, "w/sub/", 0, 0, "750");
        await AddFile(writer, "w/sub/back", "back\n");
        await AddFile(writer, "w/.wh.link", "");
    }

    private async Task<Layer> LayerAsync(string name, Func<TarWriter, Task> write)
    {
        var path = _directory[name + ".tar.gz"];
        var (digest, diffId) = await WriteLayerAsync(path, write);
        return new FileLayer(new FileRegion(path, 0, new FileInfo(path).Length, path), digest, diffId, MediaTypes.LayerType(LayerCompression.Gzip));
    }

    private static Task AddDirectory(TarWriter writer, string path, int uid, int gid, string mode)
        => writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, path) { Mode = Mode(mode), Uid = uid, Gid = gid, ModificationTime = DateTimeOffset.UnixEpoch });

    private static Task AddFile(TarWriter writer, string path, string text)
        => writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, path)
        {
            Mode = Mode("644"),
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
            ModificationTime = DateTimeOffset.UnixEpoch,
        });

    private static UnixFileMode Mode(string octal) => (UnixFileMode)Convert.ToInt32(octal, 8);

    private static async Task<(Digest Digest, Digest DiffId)> WriteLayerAsync(string path, Func<TarWriter, Task> write)
    {
        await using var output = File.Create(path);
        var blob = new HashingStream(output, leaveOpen: true);
        var gzip = new GZipStream(blob, CompressionLevel.Fastest, leaveOpen: true);
        var tar = new HashingStream(gzip, leaveOpen: true);
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            await write(writer);
        }
        var diffId = tar.GetDigest();
        await gzip.DisposeAsync();
        return (blob.GetDigest(), diffId);
    }

    public async Task DisposeAsync() => await Image.DisposeAsync();

    public void Dispose() => _directory.Dispose();
}
