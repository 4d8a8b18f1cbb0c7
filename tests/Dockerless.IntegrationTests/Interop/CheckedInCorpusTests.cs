using Dockerless.IntegrationTests.Cli;
using Dockerless.IntegrationTests.Fixtures;
using static Dockerless.IntegrationTests.Interop.CorpusInputs;

namespace Dockerless.IntegrationTests.Interop;

/// <summary>
/// The checked-in fixtures of go-containerregistry and containers/image, read as the peers read
/// them: the manifest and config bytes skopeo gives, digests that hash what is printed, whole
/// copies into a layout, an OCI archive and a registry that keep every node byte for byte (each
/// blob once, as skopeo copy --all writes them), and one error line for what every peer refuses.
/// </summary>
public sealed class CheckedInCorpusTests(RegistryFixture registry) : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Layout(string relative, string? tag) => $"oci:{Path(relative)}{(tag is null ? "" : ":" + tag)}";

    [Theory]
    [MemberData(nameof(SkopeoLayouts), MemberType = typeof(CorpusInputs))]
    public async Task A_layout_tag_gives_skopeos_manifest_config_and_digest(string relative, string? tag)
    {
        var source = Layout(relative, tag);
        var manifest = (await CliTool.SucceedAsync(["manifest", source])).Output;
        Assert.Equal(await SkopeoAsync("inspect", "--raw", source), manifest);
        Assert.Equal(Sha256(manifest), (await CliTool.SucceedAsync(["digest", source])).Output.Trim());
        Assert.Equal(await SkopeoAsync("inspect", "--raw", "--config", source), (await CliTool.SucceedAsync(["config", source])).Output);
    }

    [Theory]
    [MemberData(nameof(SkopeoLayouts), MemberType = typeof(CorpusInputs))]
    public async Task A_whole_copy_keeps_every_node_byte_for_byte(string relative, string? tag)
    {
        var source = Layout(relative, tag);
        var manifest = await SkopeoAsync("inspect", "--raw", source);
        var digest = Sha256(manifest);
        var expected = Reachable(Path(relative), digest);
        await CliTool.SucceedAsync(["copy", source, $"oci:{_dir["ours"]}:t"]);
        Assert.Equal(expected, Blobs(_dir["ours"]));
        Assert.Equal(manifest, await SkopeoAsync("inspect", "--raw", $"oci:{_dir["ours"]}:t"));

        await CliTool.SucceedAsync(["copy", source, $"oci-archive:{_dir["ours.tar"]}:t"]);
        Assert.Equal(manifest, await SkopeoAsync("inspect", "--raw", $"oci-archive:{_dir["ours.tar"]}:t"));

        var pushed = $"{registry.Server.Host}/corpus/{Guid.NewGuid():N}:t";
        await CliTool.SucceedAsync(["copy", source, pushed]);
        Assert.Equal(manifest, await SkopeoAsync("inspect", "--tls-verify=false", "--raw", $"docker://{pushed}"));
        // Every node is in the repository: manifests by digest, blobs by a HEAD the registry answers.
        using var http = new HttpClient();
        var repository = pushed[(pushed.IndexOf('/', StringComparison.Ordinal) + 1)..pushed.LastIndexOf(':')];
        foreach (var hex in expected)
        {
            using var manifestHead = new HttpRequestMessage(HttpMethod.Head, registry.Server.Url($"/v2/{repository}/manifests/sha256:{hex}"));
            foreach (var type in new[] { MediaTypes.OciManifest, MediaTypes.OciIndex, MediaTypes.DockerManifest, MediaTypes.DockerManifestList }) manifestHead.Headers.Accept.ParseAdd(type);
            using var blobHead = new HttpRequestMessage(HttpMethod.Head, registry.Server.Url($"/v2/{repository}/blobs/sha256:{hex}"));
            using var asManifest = await http.SendAsync(manifestHead);
            using var asBlob = await http.SendAsync(blobHead);
            Assert.True(asManifest.IsSuccessStatusCode || asBlob.IsSuccessStatusCode, $"sha256:{hex} is not in {repository}");
        }
    }

    [Theory]
    [InlineData("delete_image_only_one_image", "latest")]
    [InlineData("delete_image_multiple_images", "1.0.0")]
    public async Task A_blob_whose_size_differs_from_its_descriptor_is_refused_naming_it(string layout, string tag)
    {
        // containers/image's deletion fixtures list configs by a size other than theirs; skopeo copies them unchecked.
        var result = await CliTool.RunAsync("copy", Layout(ContainersImage + "oci/layout/fixtures/" + layout, tag), $"oci:{_dir["out"]}:t");
        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"^dockerless: \S+/blobs/sha256/[0-9a-f]{64}: size mismatch: expected \d+ bytes of sha256:[0-9a-f]{64}, got \d+$", result.Error.Trim());
        Assert.False(Directory.Exists(_dir["out"]));
    }

    [Theory]
    [InlineData("2")]
    [InlineData("4")]
    public async Task Entries_skopeo_skips_but_go_containerregistry_reads_are_read_by_their_documents(string tag)
    {
        // test_index lists a Docker manifest under application/vnd.oci.descriptor.v1+json (2) and a Docker manifest list (4).
        var source = Layout(Ggcr + "layout/testdata/test_index", tag);
        var manifest = (await CliTool.SucceedAsync(["manifest", source])).Output;
        var digest = (await CliTool.SucceedAsync(["digest", source])).Output.Trim();
        Assert.Equal(Sha256(manifest), digest);
        Assert.Equal(await File.ReadAllTextAsync(Path(Ggcr + "layout/testdata/test_index/blobs/sha256/" + digest[7..])), manifest);
    }

    [Theory]
    [MemberData(nameof(DockerArchives), MemberType = typeof(CorpusInputs))]
    public async Task A_docker_archive_image_gives_skopeos_config(string relative, string? name)
    {
        var (ours, theirs) = name?.Split('|') is [var both] ? (both, both) : name?.Split('|') is [var mine, var skopeos] ? (mine, skopeos) : (null, null);
        var source = $"docker-archive:{Path(relative)}{(ours is null ? "" : ":" + ours)}";
        var skopeoSource = $"docker-archive:{Path(relative)}{(theirs is null ? "" : ":" + theirs)}";
        Assert.Equal(await SkopeoAsync("inspect", "--raw", "--config", skopeoSource), (await CliTool.SucceedAsync(["config", source])).Output);
        await CliTool.SucceedAsync(["export", source, _dir["rootfs.tar"]]);
    }

    [Theory]
    [MemberData(nameof(Refused), MemberType = typeof(CorpusInputs))]
    public async Task An_input_every_peer_refuses_gives_one_error_line_and_leaves_nothing(string source)
    {
        Assert.NotEqual(0, (await Peer.TryRunAsync("skopeo", ["inspect", "--raw", source])).ExitCode);
        string[][] verbs = [["digest", source], ["copy", source, $"oci:{_dir["out"]}:t"], ["export", source, _dir["out.tar"]]];
        foreach (var args in verbs)
        {
            var result = await CliTool.RunAsync(args);
            Assert.Equal(1, result.ExitCode);
            Assert.Equal("", result.Output);
            var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("dockerless: ", line, StringComparison.Ordinal);
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.Path));
    }

    [Fact]
    public async Task A_bundle_of_several_images_says_how_to_name_one_and_that_name_works()
    {
        var archive = Path(Ggcr + "tarball/testdata/test_bundle.tar");
        var ambiguous = await CliTool.RunAsync("config", $"docker-archive:{archive}");
        Assert.Equal(1, ambiguous.ExitCode);
        var hint = System.Text.RegularExpressions.Regex.Match(ambiguous.Error, @"name one, as (\S+)$").Groups[1].Value;
        await CliTool.SucceedAsync(["config", hint]);
    }
}
