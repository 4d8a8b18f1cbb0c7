using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Dockerless.IntegrationTests.Fixtures;

/// <summary>
/// A busybox image made to exercise <c>run</c>: a named USER (<c>app</c>, 1000:1000, also in group
/// <c>extra</c> 2000), a WORKDIR the image lacks, ENV, an ENTRYPOINT with a CMD, a 1777 /tmp, a
/// VOLUME holding a file, and /etc/passwd and /etc/group to look users up in. Built once per
/// test class, written as a docker-archive; never downloaded.
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
        var layerPath = _directory["runnable.tar.gz"];
        var (digest, diffId) = await WriteLayerAsync(layerPath, writer => Entries(writer, real));
        var layer = new FileLayer(new FileRegion(layerPath, 0, new FileInfo(layerPath).Length, layerPath), digest, diffId, MediaTypes.LayerType(LayerCompression.Gzip));
        var colon = Reference.IndexOf(':', StringComparison.Ordinal);
        Image = TestLayer.ImageOf(Reference[..colon], Reference[(colon + 1)..], layer);
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
