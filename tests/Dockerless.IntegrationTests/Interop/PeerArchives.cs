using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Interop;

/// <summary>
/// Archives and layouts made once per class by the real tools from one busybox image: skopeo copy
/// to every format with gzip and zstd, podman save in every --format (and --uncompressed), umoci
/// insert, and a two-platform list made by podman manifest and pushed by skopeo copy --all.
/// </summary>
public sealed class PeerArchives : IAsyncLifetime
{
    public TempDirectory Dir { get; } = new();

    public RegistryProcess Registry { get; private set; } = null!;

    /// <summary>Each input: our location, skopeo's location for the same image.</summary>
    public Dictionary<string, (string Ours, string Skopeo)> Inputs { get; } = [];

    /// <summary>Inputs Dockerless does not read, and the line it gives.</summary>
    public List<string> DirFormat { get; } = [];

    public string this[string name] => Dir[name];

    private string[] Podman =>
    [
        "--root", Dir["podman/root"], "--runroot", Dir["podman/run"], "--tmpdir", Dir["podman/tmp"], "--network-config-dir", Dir["podman/net"],
        "--volumepath", Dir["podman/vol"], "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs", "--events-backend", "none",
    ];

    public async Task InitializeAsync()
    {
        Registry = await RegistryProcess.StartAsync();
        var image = await BusyboxImage.BuildAsync(Dir.Path, "corpus/busybox", "1");
        await image.WriteDockerArchiveAsync(Dir["bb.tar"]);
        image.Platform = Platform.Parse("linux/arm64");
        await image.WriteDockerArchiveAsync(Dir["bb-arm64.tar"]);
        var source = $"docker-archive:{Dir["bb.tar"]}";

        foreach (var (name, destination, compression) in new[]
        {
            ("skopeo oci", $"oci:{Dir["skopeo-oci"]}:1", ""), ("skopeo oci gzip", $"oci:{Dir["skopeo-gzip"]}:1", "gzip"),
            ("skopeo oci zstd", $"oci:{Dir["skopeo-zstd"]}:1", "zstd"), ("skopeo oci-archive zstd", $"oci-archive:{Dir["skopeo-zstd.tar"]}:1", "zstd"),
            ("skopeo oci-archive gzip", $"oci-archive:{Dir["skopeo-gzip.tar"]}:1", "gzip"), ("skopeo docker-archive", $"docker-archive:{Dir["skopeo.tar"]}:corpus/busybox:1", ""),
        })
        {
            string[] compress = compression.Length == 0 ? [] : ["--dest-compress", "--dest-compress-format", compression];
            await Peer.RunAsync("skopeo", ["copy", .. compress, source, destination]);
            Inputs[name] = (destination, destination);
        }

        await Peer.RunAsync("podman", [.. Podman, "load", "-i", Dir["bb.tar"]]);
        foreach (var (name, format, uncompressed, path) in new[]
        {
            ("podman docker-archive", "docker-archive", false, "podman.tar"), ("podman oci-archive", "oci-archive", false, "podman-oci.tar"),
            ("podman oci-archive uncompressed", "oci-archive", true, "podman-oci-u.tar"), ("podman oci-dir", "oci-dir", false, "podman-oci-dir"),
            ("podman oci-dir uncompressed", "oci-dir", true, "podman-oci-dir-u"), ("podman docker-dir", "docker-dir", false, "podman-docker-dir"),
            ("podman docker-dir uncompressed", "docker-dir", true, "podman-docker-dir-u"),
        })
        {
            string[] flags = uncompressed ? ["--format", format, "--uncompressed"] : ["--format", format];
            await Peer.RunAsync("podman", [.. Podman, "save", .. flags, "-o", Dir[path], "corpus/busybox:1"]);
            var location = format switch
            {
                "docker-archive" => ($"docker-archive:{Dir[path]}", $"docker-archive:{Dir[path]}"),
                "oci-archive" => ($"oci-archive:{Dir[path]}", $"oci-archive:{Dir[path]}"),
                _ => ($"oci:{Dir[path]}", $"oci:{Dir[path]}"),
            };
            if (format == "docker-dir") DirFormat.Add(Dir[path]);
            else Inputs[name] = location;
        }

        // umoci insert writes layers without the end-of-archive blocks.
        var tree = Dir["umoci-tree"];
        Directory.CreateDirectory(Path.Combine(tree, "data"));
        await File.WriteAllTextAsync(Path.Combine(tree, "data", "hello.txt"), BusyboxImage.DataText);
        Directory.CreateDirectory(Path.Combine(tree, "etc"));
        await Peer.RunAsync("skopeo", ["copy", source, $"oci:{Dir["umoci"]}:1"]);
        await Peer.RunAsync("umoci", ["insert", "--rootless", "--image", $"{Dir["umoci"]}:1", tree, "/"]);
        Inputs["umoci insert"] = ($"oci:{Dir["umoci"]}:1", $"oci:{Dir["umoci"]}:1");

        await Peer.RunAsync("podman", [.. Podman, "manifest", "create", "corpus/list"]);
        foreach (var archive in new[] { "bb.tar", "bb-arm64.tar" }) await Peer.RunAsync("podman", [.. Podman, "manifest", "add", "corpus/list", $"docker-archive:{Dir[archive]}"]);
        await Peer.RunAsync("podman", [.. Podman, "manifest", "push", "--all", "corpus/list", $"oci:{Dir["podman-list"]}:1"]);
        var pushed = $"{Registry.Host}/corpus/list:1";
        await Peer.RunAsync("skopeo", ["copy", "--all", "--dest-tls-verify=false", $"oci:{Dir["podman-list"]}:1", $"docker://{pushed}"]);
        Inputs["podman manifest, skopeo copy --all"] = (pushed, $"docker://{pushed}");
    }

    public async Task DisposeAsync()
    {
        await Registry.DisposeAsync();
        // podman's vfs store holds directories without write permission.
        await Peer.TryRunAsync("chmod", ["-R", "u+rwx", Dir["podman"]]);
        Dir.Dispose();
    }
}
