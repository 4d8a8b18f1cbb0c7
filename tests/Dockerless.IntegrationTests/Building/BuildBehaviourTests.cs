using System.Security.Cryptography;
using Dockerless.IntegrationTests.Cli;
using Dockerless.IntegrationTests.Distribution;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Building;

/// <summary>
/// What <c>dockerless build</c> promises beyond docker build's results: a registry base is never
/// downloaded by a RUN-less build, the same inputs give the same digest, a RUN that cannot start
/// fails with the line, several platforms give an index, ADD checks a URL against its checksum.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BuildBehaviourTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_RUN_less_build_onto_a_registry_base_downloads_no_base_blob_and_mounts_them_on_push()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using (var registry = new Registry($"http://{server.Host}"))
        await using (var base_ = await RegistryRoundTripTests.SmallImageAsync("base/app"))
        {
            await registry.PushImageAsync(base_);
        }
        var context = Context(
            $"FROM {server.Host}/base/app:v1\nWORKDIR /app\nCOPY a.txt .\nENV MODE=prod\nCMD [\"/app/a.txt\"]\n",
            ("a.txt", "alpha\n"));

        await CliTool.SucceedAsync(["build", context, "-t", $"{server.Host}/built/app:1", "--iidfile", _dir["iid"]]);

        var log = await server.AccessLogAsync();
        await using var client = new Registry($"http://{server.Host}");
        await using var baseImage = await client.PullImageAsync("base/app", "v1", lazy: true);
        await using var pushed = await client.PullImageAsync("built/app", "1", lazy: true);
        var baseLayers = baseImage.Layers.Select(l => l.Digest).ToList();
        Assert.All(baseLayers, d => Assert.Empty(RegistryProcess.BlobBodies(log, d)));
        Assert.All(baseLayers, d => Assert.Contains(log, l => l.Contains("POST /v2/built/app/blobs/uploads/?mount=", StringComparison.Ordinal) && l.Contains(d.Encoded, StringComparison.Ordinal)));
        // The base's layers, then WORKDIR's and COPY's.
        Assert.Equal(baseLayers, pushed.Layers.Take(baseLayers.Count).Select(l => l.Digest));
        Assert.Equal(baseLayers.Count + 2, pushed.Layers.Count);
        Assert.Equal(Digest.Compute(pushed.GetRawConfig().Span).ToString(), await File.ReadAllTextAsync(_dir["iid"]));
    }

    [Fact]
    public async Task The_same_Dockerfile_and_context_give_the_same_digest_with_SOURCE_DATE_EPOCH_times()
    {
        var context = Context("FROM scratch\nCOPY . /app/\nLABEL a=b\n", ("a.txt", "alpha\n"), ("dir/b.txt", "beta\n"));
        var environment = new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = "1700000000" };
        await CliTool.SucceedAsync(["build", context, "--no-cache", "-t", $"oci:{_dir["one"]}:1", "--iidfile", _dir["iid1"]], environment);
        File.SetLastWriteTimeUtc(Path.Combine(context, "a.txt"), DateTime.UtcNow.AddDays(-3));
        await CliTool.SucceedAsync(["build", context, "--no-cache", "-t", $"oci:{_dir["two"]}:1", "--iidfile", _dir["iid2"]], environment);

        Assert.Equal(await File.ReadAllTextAsync(_dir["iid1"]), await File.ReadAllTextAsync(_dir["iid2"]));
        var image = (await Image.LoadAsync(_dir["one"]))[0];
        await using (image)
        {
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), image.Created);
            Assert.All(image.History, h => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), h.Created));
            var listing = await Peer.RunAsync("tar", ["-tvzf", BlobPath(_dir["one"], image.Layers[0].Digest), "--full-time", "--utc"]);
            Assert.All(listing.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Contains("2023-11-14 22:13:20", line, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task RUN_on_a_base_without_its_shell_fails_naming_the_file_and_line_and_writes_nothing()
    {
        var context = Context("FROM scratch\nLABEL a=b\nRUN echo hi\n");

        var result = await CliTool.RunAsync("build", context, "-t", $"docker-archive:{_dir["out.tar"]}");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("dockerless: Dockerfile:3: ", result.Error.Split('\n').Last(l => l.Length > 0), StringComparison.Ordinal);
        Assert.Contains("/bin/sh", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir["out.tar"]));
    }

    [Fact]
    public async Task A_missing_source_fails_naming_the_file_line_and_source()
    {
        var context = Context("FROM scratch\n\nCOPY missing.txt /\n");

        var result = await CliTool.RunAsync("build", context, "-t", $"oci:{_dir["layout"]}:1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("dockerless: Dockerfile:3: COPY failed: \"missing.txt\" not found in the build context", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_platforms_give_an_index_whose_images_have_their_platform_args()
    {
        var context = Context("FROM scratch\nARG TARGETARCH\nCOPY a.txt /\nENV ARCH=$TARGETARCH\n", ("a.txt", "alpha\n"));

        await CliTool.SucceedAsync(["build", context, "--platform", "linux/amd64,linux/arm64", "-t", $"oci:{_dir["layout"]}:multi"]);

        await using var index = await ImageIndex.LoadAsync(_dir["layout"], "multi");
        Assert.Equal(["linux/amd64", "linux/arm64"], index.Images.Select(i => i.Platform.ToString()));
        Assert.Equal(["ARCH=amd64", "ARCH=arm64"], index.Images.Select(i => i.Config.Env[^1]));
    }

    [Fact]
    public async Task ADD_of_a_URL_checks_the_checksum_writes_a_0600_file_and_keeps_its_password_out_of_history()
    {
        var body = "downloaded\n"u8.ToArray();
        await using var server = LoopbackListener.Start(async context =>
        {
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        });
        var url = $"http://127.0.0.1:{server.Port}/files/data.txt";
        var checksum = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));
        var withPassword = $"http://user:hunter2@127.0.0.1:{server.Port}/files/data.txt";
        var good = Context($"FROM scratch\nADD --checksum={checksum} {withPassword} /dl/\n");

        await using (var image = await DockerfileBuilder.BuildFileAsync(Path.Combine(good, "Dockerfile"), good))
        {
            await image.UnpackAsync(_dir["rootfs"]);
            Assert.Equal($"ADD {url} /dl/ # buildkit", image.History[^1].CreatedBy);
        }

        Assert.Equal(body, await File.ReadAllBytesAsync(_dir["rootfs/dl/data.txt"]));
        Assert.Equal((UnixFileMode)0x180, File.GetUnixFileMode(_dir["rootfs/dl/data.txt"]));
        var bad = Context($"FROM scratch\nADD --checksum=sha256:{new string('0', 64)} {url} /dl/\n");
        var error = await Assert.ThrowsAsync<DockerfileBuildException>(() => DockerfileBuilder.BuildFileAsync(Path.Combine(bad, "Dockerfile"), bad));
        Assert.Equal(2, error.Line);
        Assert.Contains("digest mismatch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task COPY_from_an_image_location_takes_its_files()
    {
        await using (var busybox = await BusyboxImage.BuildAsync(_dir.Path, "copy-from", "1"))
        {
            await busybox.WriteDockerArchiveAsync(_dir["busybox.tar"]);
        }
        var context = Context($"FROM scratch\nCOPY --from=docker-archive:{_dir["busybox.tar"]} /data/hello.txt /bin/busybox /from/\n");

        await using var image = await DockerfileBuilder.BuildFileAsync(Path.Combine(context, "Dockerfile"), context);
        await image.UnpackAsync(_dir["copied"]);

        Assert.Equal(BusyboxImage.DataText, await File.ReadAllTextAsync(_dir["copied/from/hello.txt"]));
        var busyboxFile = Path.GetFullPath(new FileInfo(Peer.Require("busybox")).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Peer.Require("busybox"));
        Assert.Equal(await File.ReadAllBytesAsync(busyboxFile), await File.ReadAllBytesAsync(_dir["copied/from/busybox"]));
    }

    /// <summary>A new context directory holding <paramref name="dockerfile"/> and <paramref name="files"/>.</summary>
    private string Context(string dockerfile, params (string Path, string Text)[] files)
    {
        var context = Directory.CreateDirectory(_dir["ctx-" + Guid.NewGuid().ToString("N")[..8]]).FullName;
        File.WriteAllText(Path.Combine(context, "Dockerfile"), dockerfile);
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(context, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }
        return context;
    }

    private static string BlobPath(string layout, Digest digest) => Path.Combine(layout, "blobs", digest.Algorithm, digest.Encoded);
}
