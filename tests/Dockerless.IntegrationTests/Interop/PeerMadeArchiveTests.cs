using Dockerless.IntegrationTests.Cli;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Interop;

/// <summary>
/// What docker, podman, skopeo and umoci write, read as they read it: the config skopeo gives, a
/// docker-archive written from it that docker loads and runs, a root filesystem that umoci
/// unpacks the same, and for a docker save of several images the one asked for.
/// </summary>
[Collection(DockerDaemonTests.Name)]
public sealed class PeerMadeArchiveTests(DockerDaemon daemon, PeerArchives archives) : IClassFixture<PeerArchives>, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Inputs() => new()
    {
        "skopeo oci", "skopeo oci gzip", "skopeo oci zstd", "skopeo oci-archive zstd", "skopeo oci-archive gzip", "skopeo docker-archive",
        "podman docker-archive", "podman oci-archive", "podman oci-archive uncompressed", "podman oci-dir", "podman oci-dir uncompressed",
        "umoci insert", "podman manifest, skopeo copy --all",
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task An_input_gives_skopeos_config_and_docker_loads_and_runs_what_is_written_from_it(string input)
    {
        var (ours, skopeo) = archives.Inputs[input];
        string[] tls = skopeo.StartsWith("docker://", StringComparison.Ordinal) ? ["--tls-verify=false"] : [];
        Assert.Equal(await Peer.RunAsync("skopeo", ["inspect", .. tls, "--raw", "--config", skopeo]), (await CliTool.SucceedAsync(["config", ours])).Output);
        if (!ours.StartsWith("docker-archive:", StringComparison.Ordinal))
        {
            Assert.Equal(CorpusInputs.Sha256(await Peer.RunAsync("skopeo", ["inspect", .. tls, "--raw", skopeo])), (await CliTool.SucceedAsync(["digest", ours])).Output.Trim());
        }

        var name = $"corpus/peer-{Guid.NewGuid():N}:1";
        await CliTool.SucceedAsync(["copy", ours, $"docker-archive:{_dir["out.tar"]}:{name}"]);
        await daemon.RunAsync("load", "-i", _dir["out.tar"]);
        try
        {
            Assert.Equal(BusyboxImage.DataText, await daemon.RunAsync("run", "--rm", "--network=none", name, "cat", "/data/hello.txt"));
        }
        finally
        {
            await daemon.RemoveImageAndContainersAsync(name);
        }
    }

    [Theory]
    [InlineData("skopeo oci gzip")]
    [InlineData("podman oci-dir")]
    [InlineData("umoci insert")]
    public async Task The_root_filesystem_is_the_one_umoci_unpacks(string input)
    {
        // Under a plain tag (umoci's --image takes none with a colon), blobs as they are. (umoci refuses podman's
        // --uncompressed layers, plain tars labelled gzip, which docker runs: see the test above.)
        await Peer.RunAsync("skopeo", ["copy", "--preserve-digests", archives.Inputs[input].Skopeo, $"oci:{_dir["layout"]}:1"]);
        await Peer.RunAsync("umoci", ["unpack", "--rootless", "--image", $"{_dir["layout"]}:1", _dir["bundle"]]);
        await CliTool.SucceedAsync(["unpack", $"oci:{_dir["layout"]}:1", _dir["ours"]]);
        var theirs = await TreeSnapshot.TakeAsync(Path.Combine(_dir["bundle"], "rootfs"));
        var mine = await TreeSnapshot.TakeAsync(_dir["ours"]);
        Assert.Empty(TreeSnapshot.Differences(theirs, mine, "umoci", "dockerless"));
    }

    [Fact]
    public async Task The_dir_format_is_refused_with_a_conversion_that_works_when_followed()
    {
        foreach (var directory in archives.DirFormat)
        {
            var refused = await CliTool.RunAsync("config", $"oci:{directory}");
            Assert.Equal(1, refused.ExitCode);
            var line = Assert.Single(refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            var command = System.Text.RegularExpressions.Regex.Match(line, "convert it: skopeo (copy dir:(\\S+) oci:(\\S+))$");
            Assert.True(command.Success, line);
            await Peer.RunAsync("skopeo", ["copy", $"dir:{command.Groups[2].Value}", $"oci:{command.Groups[3].Value}"]);
            Assert.Equal(await Peer.RunAsync("skopeo", ["inspect", "--raw", "--config", $"oci:{command.Groups[3].Value}"]),
                (await CliTool.SucceedAsync(["config", $"oci:{command.Groups[3].Value}"])).Output);
        }
    }

    [Fact]
    public async Task Docker_save_of_one_and_of_several_images_reads_the_one_asked_for_and_writes_only_its_name()
    {
        var names = new[] { $"corpus/save-a-{Guid.NewGuid():N}:1", $"corpus/save-b-{Guid.NewGuid():N}:2" };
        await daemon.RunAsync("load", "-i", archives["bb.tar"]);
        try
        {
            foreach (var name in names) await daemon.RunAsync("tag", "corpus/busybox:1", name);
            await daemon.RunAsync("save", "-o", _dir["one.tar"], names[0]);
            await daemon.RunAsync("save", "-o", _dir["two.tar"], names[0], names[1]);
            var id = (await daemon.RunAsync("image", "inspect", "--format", "{{.Id}}", names[0])).Trim();
            foreach (var source in new[] { $"docker-archive:{_dir["one.tar"]}", $"docker-archive:{_dir["two.tar"]}:{names[1]}", $"docker-archive:{_dir["two.tar"]}:@0" })
            {
                var config = (await CliTool.SucceedAsync(["config", source])).Output;
                Assert.Equal(id, CorpusInputs.Sha256(config));
            }
            // Copying one of the names writes that name alone: docker load would tag what the user never named.
            await CliTool.SucceedAsync(["copy", $"docker-archive:{_dir["two.tar"]}:{names[1]}", $"docker-archive:{_dir["copy.tar"]}"]);
            var manifest = await Peer.RunAsync("tar", ["-xOf", _dir["copy.tar"], "manifest.json"]);
            Assert.Contains($"\"RepoTags\":[\"{names[1]}\"]", manifest, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var name in names) await daemon.TryRunAsync("rmi", name);
            await daemon.TryRunAsync("rmi", "corpus/busybox:1");
        }
    }
}
