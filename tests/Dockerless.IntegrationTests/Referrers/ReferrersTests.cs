using System.Text.Json;
using Dockerless.IntegrationTests.Cli;
using Dockerless.IntegrationTests.Fixtures;
using static Dockerless.IntegrationTests.Interop.CorpusInputs;

namespace Dockerless.IntegrationTests.Referrers;

/// <summary>
/// Referrers against the real distribution registry 2.8, which has no referrers API (it answers
/// 404), so every list and attach goes through the fallback tag schema (<c>sha256-HEX</c>): what
/// <c>attach</c> pushes, and the tag index it keeps, are read back by skopeo and the registry's API.
/// </summary>
public sealed class ReferrersTests(RegistryFixture registry) : IClassFixture<RegistryFixture>, IDisposable
{
    private const string SignatureType = "application/vnd.dev.cosign.artifact.sig.v1+json";
    private const string SbomType = "application/spdx+json";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Host => registry.Server.Host;

    /// <summary>Pushes a one-layer image to <paramref name="repository"/>:1; returns its manifest digest.</summary>
    internal static async Task<Digest> PushImageAsync(string host, string repository)
    {
        await using var image = TestLayer.ImageOf(repository, "1", await TestLayer.CreateAsync(new Dictionary<string, byte[]> { ["/etc/app.txt"] = "app\n"u8.ToArray() }));
        return (await ImageLocation.ParseDestination($"docker://{host}/{repository}:1").WriteImageAsync(image))!.Value;
    }

    private string File(string name, string text)
    {
        var path = _dir[name];
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private static async Task<JsonDocument> RawAsync(string reference)
        => JsonDocument.Parse(await SkopeoAsync("inspect", "--tls-verify=false", "--raw", $"docker://{reference}"));

    private static string[] Digests(JsonDocument index)
        => [.. index.RootElement.GetProperty("manifests").EnumerateArray().Select(m => m.GetProperty("digest").GetString()!).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Attach_writes_an_artifact_and_a_fallback_tag_index_that_skopeo_reads_and_referrers_lists()
    {
        var image = await PushImageAsync(Host, "attach/app");
        var subject = $"{Host}/attach/app:1";
        var signature = (await CliTool.SucceedAsync(["attach", "--subject", subject, "--artifact-type", SignatureType, File("sig.json", "{\"critical\":{}}")])).Output.Trim();
        var sbom = (await CliTool.SucceedAsync(["attach", "--subject", subject, "--artifact-type", SbomType, "--media-type", SbomType,
            "--annotation", "org.example.kind=sbom", File("sbom.spdx.json", "{\"spdxVersion\":\"SPDX-2.3\"}")])).Output.Trim();

        using (var artifact = await RawAsync($"{Host}/attach/app@{sbom}"))
        {
            var root = artifact.RootElement;
            Assert.Equal(sbom, Sha256(await SkopeoAsync("inspect", "--tls-verify=false", "--raw", $"docker://{Host}/attach/app@{sbom}")));
            Assert.Equal(MediaTypes.OciManifest, root.GetProperty("mediaType").GetString());
            Assert.Equal(SbomType, root.GetProperty("artifactType").GetString());
            Assert.Equal(MediaTypes.OciEmpty, root.GetProperty("config").GetProperty("mediaType").GetString());
            Assert.Equal(2, root.GetProperty("config").GetProperty("size").GetInt64());
            var layer = Assert.Single(root.GetProperty("layers").EnumerateArray().ToArray());
            Assert.Equal(SbomType, layer.GetProperty("mediaType").GetString());
            Assert.Equal("sbom.spdx.json", layer.GetProperty("annotations").GetProperty("org.opencontainers.image.title").GetString());
            Assert.Equal(image.ToString(), root.GetProperty("subject").GetProperty("digest").GetString());
            Assert.Equal("sbom", root.GetProperty("annotations").GetProperty("org.example.kind").GetString());
            using var http = new HttpClient();
            Assert.Equal("{}", await http.GetStringAsync(registry.Server.Url($"/v2/attach/app/blobs/{root.GetProperty("config").GetProperty("digest").GetString()}")));
        }
        using (var tagIndex = await RawAsync($"{Host}/attach/app:sha256-{image.Encoded}"))
        {
            Assert.Equal(new[] { signature, sbom }.Order(StringComparer.Ordinal), Digests(tagIndex));
            Assert.Contains(tagIndex.RootElement.GetProperty("manifests").EnumerateArray(), m => m.GetProperty("artifactType").GetString() == SbomType);
        }

        var listed = (await CliTool.SucceedAsync(["referrers", subject])).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, listed.Length);
        Assert.Contains(listed, l => l.StartsWith($"{sbom}\t{SbomType}\t", StringComparison.Ordinal));
        Assert.Equal($"{signature}\t{SignatureType}", string.Join('\t', Assert.Single((await CliTool.SucceedAsync(["referrers", subject, "--artifact-type", SignatureType])).Output.Trim().Split('\n')).Split('\t')[..2]));
        using var json = JsonDocument.Parse((await CliTool.SucceedAsync(["--json", "referrers", $"docker://{Host}/attach/app@{image}"])).Output);
        Assert.Equal(MediaTypes.OciIndex, json.RootElement.GetProperty("mediaType").GetString());
        Assert.Equal(new[] { signature, sbom }.Order(StringComparer.Ordinal), Digests(json));
    }

    [Fact]
    public async Task Eight_attaches_at_once_all_stay_in_the_fallback_tag_index()
    {
        var image = await PushImageAsync(Host, "concurrent/app");
        var subject = ImageLocation.Parse($"docker://{Host}/concurrent/app:1");
        var attached = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            await using var own = new RegistryPool();
            return (await subject.AttachAsync(new AttachOptions
            {
                ArtifactType = "application/vnd.example.attestation.v1+json",
                Annotations = new Dictionary<string, string> { ["org.example.n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                Registries = own,
            })).Digest.ToString();
        }));

        using var tagIndex = await RawAsync($"{Host}/concurrent/app:sha256-{image.Encoded}");
        Assert.Equal(attached.Order(StringComparer.Ordinal), Digests(tagIndex));
        Assert.Equal(8, (await subject.ListReferrersAsync()).Index!.Manifests.Count);
    }

    [Fact]
    public async Task Bad_artifact_types_locations_without_manifests_and_narrowed_copies_are_refused_in_one_line()
    {
        await PushImageAsync(Host, "refuse/app");
        var bad = await CliTool.RunAsync("attach", "--subject", $"{Host}/refuse/app:1", "--artifact-type", "sbom", File("x.txt", "x"));
        Assert.Equal(1, bad.ExitCode);
        Assert.Equal("dockerless: the artifact type \"sbom\" is not a media type (type/subtype, as application/vnd.example+json)", bad.Error.Trim());
        var archive = await CliTool.RunAsync("referrers", $"docker-archive:{_dir["none.tar"]}");
        Assert.Equal(1, archive.ExitCode);
        Assert.Matches("^dockerless: docker-archive:.*: referrers live in registries and OCI layouts; this location keeps no manifests$", archive.Error.Trim());
        var narrowed = await CliTool.RunAsync("copy", "--referrers", "--platform", "linux/amd64", $"{Host}/refuse/app:1", $"oci:{_dir["out"]}:1");
        Assert.Equal(1, narrowed.ExitCode);
        Assert.EndsWith("with referrers: referrers go only in a whole copy (no platform chosen) of one manifest or index between registries, OCI layouts and OCI archives", narrowed.Error.Trim(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir["out"]));
    }
}
