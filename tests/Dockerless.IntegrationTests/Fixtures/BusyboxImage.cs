using System.Text;

namespace Dockerless.IntegrationTests.Fixtures;

/// <summary>
/// A real, runnable base image made from Debian's busybox-static, never downloaded: a layer
/// with /bin/busybox and its applet links (sh, cat, ls, echo, ...), and a small data layer.
/// </summary>
public static class BusyboxImage
{
    public static readonly string[] Applets = ["sh", "cat", "ls", "echo", "stat", "readlink", "test", "env"];

    /// <summary>What /data/hello.txt of the data layer holds.</summary>
    public const string DataText = "hello from the data layer\n";

    /// <summary>Builds the image in <paramref name="directory"/> (its layer blobs live there).</summary>
    public static async Task<Image> BuildAsync(string directory, string name = "busybox-test", string tag = "latest")
    {
        var busybox = Peer.Require("busybox");
        // Debian's /bin/busybox may be a symlink in some layouts; the layer holds the real file.
        var real = new FileInfo(busybox).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? busybox;
        var entries = new List<TestEntry>
        {
            TestEntry.Directory("bin/"),
            new("bin/busybox", HostFile: real, Mode: TestLayer.DirectoryMode),
        };
        entries.AddRange(Applets.Select(a => new TestEntry($"bin/{a}", LinkTarget: "busybox")));
        var baseLayer = await TestLayer.BuildAsync(Path.Combine(directory, $"busybox-{Guid.NewGuid():N}.tar.gz"), entries);
        var dataLayer = await TestLayer.BuildAsync(Path.Combine(directory, $"data-{Guid.NewGuid():N}.tar.gz"),
            [TestEntry.Directory("data/"), new("data/hello.txt", Encoding.UTF8.GetBytes(DataText))]);
        var image = TestLayer.ImageOf(name, tag, baseLayer, dataLayer);
        image.Config.Env.Add("PATH=/bin");
        image.Config.Cmd = ["/bin/sh"];
        return image;
    }
}
