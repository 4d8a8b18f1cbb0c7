using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dockerless.IntegrationTests.Cli;
using Dockerless.IntegrationTests.Fixtures;
using static Dockerless.IntegrationTests.Interop.CorpusInputs;

namespace Dockerless.IntegrationTests.Interop;

/// <summary>
/// The OCI image-spec's examples (Corpus/image-spec) in one layout made at test time: the minimal
/// artifact byte for byte, the artifacts with and without a config, an index of several media
/// types whose nested index has no platform, an untagged referrer with a subject and an
/// auxiliary application/xml entry beside a tagged image. Each is held as skopeo holds it:
/// digest, manifest, config, inspect and copy keep its bytes; what needs a filesystem refuses it.
/// </summary>
public sealed class SpecExampleTests(RegistryFixture registry) : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly byte[] Empty = "{}"u8.ToArray();

    public static TheoryData<string> Tags() => new() { "minimal", "without-config", "with-config", "index", "image" };

    private string Spec => _dir["spec"];

    private static string Example(string name) => File.ReadAllText(Path("image-spec/" + name));

    private async Task<Descriptor> BlobAsync(byte[] bytes, string mediaType)
    {
        var digest = Digest.Compute(bytes);
        await File.WriteAllBytesAsync(System.IO.Path.Combine(Spec, "blobs", "sha256", digest.Encoded), bytes);
        return new Descriptor { MediaType = mediaType, Digest = digest, Size = bytes.Length };
    }

    private static JsonObject DescriptorNode(Descriptor d) => new() { ["mediaType"] = d.MediaType, ["digest"] = d.Digest.ToString(), ["size"] = d.Size };

    /// <summary>Builds the layout; returns the image's manifest descriptor.</summary>
    private async Task<Descriptor> BuildAsync()
    {
        var layer = await TestLayer.BuildAsync(_dir["layer"], [new("etc/spec.txt", "example"u8.ToArray())]);
        var image = TestLayer.ImageOf("spec/app", "image", layer);
        await image.WriteOciLayoutAsync(Spec);
        var raw = image.GetRawManifest();
        var imageDescriptor = new Descriptor { MediaType = raw.MediaType, Digest = raw.Digest, Size = raw.Bytes.Length };
        await BlobAsync(Empty, MediaTypes.OciEmpty);

        var minimal = await BlobAsync(Encoding.UTF8.GetBytes(Example("minimal-artifact.json")), MediaTypes.OciManifest);

        var payload = await BlobAsync("an artifact's payload\n"u8.ToArray(), "application/vnd.example+type");
        var withoutConfig = JsonNode.Parse(Example("artifact-without-config.json"))!;
        withoutConfig["layers"] = new JsonArray(DescriptorNode(payload));
        var withoutConfigBlob = await BlobAsync(Encoding.UTF8.GetBytes(withoutConfig.ToJsonString()), MediaTypes.OciManifest);

        var config = await BlobAsync("{\"example\":true}"u8.ToArray(), "application/vnd.example.config.v1+json");
        var gzipped = new MemoryStream();
        await using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest, leaveOpen: true)) await gzip.WriteAsync("not a tar\n"u8.ToArray());
        var data = await BlobAsync(gzipped.ToArray(), "application/vnd.example.data.v1.tar+gzip");
        var withConfig = JsonNode.Parse(Example("artifact-with-config.json"))!;
        withConfig["config"] = DescriptorNode(config);
        withConfig["layers"] = new JsonArray(DescriptorNode(data));
        var withConfigBlob = await BlobAsync(Encoding.UTF8.GetBytes(withConfig.ToJsonString()), MediaTypes.OciManifest);

        // The index of several media types: its manifest entry is the image, its nested index (no platform) lists the minimal artifact.
        var inner = await BlobAsync(Encoding.UTF8.GetBytes(new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = MediaTypes.OciIndex, ["manifests"] = new JsonArray(DescriptorNode(minimal)) }.ToJsonString()), MediaTypes.OciIndex);
        var index = JsonNode.Parse(Example("image-index-multiple-media-types.json"))!;
        var entries = index["manifests"]!.AsArray();
        var first = DescriptorNode(imageDescriptor);
        first["platform"] = entries[0]!["platform"]!.DeepClone();
        index["manifests"] = new JsonArray(first, DescriptorNode(inner));
        var indexBlob = await BlobAsync(Encoding.UTF8.GetBytes(index.ToJsonString()), MediaTypes.OciIndex);

        // A referrer of the image, untagged, as the image-spec keeps referrers in index.json, and the auxiliary XML entry of its layout example.
        var referrer = JsonNode.Parse(withoutConfig.ToJsonString())!;
        referrer["subject"] = DescriptorNode(imageDescriptor);
        var referrerBlob = await BlobAsync(Encoding.UTF8.GetBytes(referrer.ToJsonString()), MediaTypes.OciManifest);
        var xml = await BlobAsync("<component/>"u8.ToArray(), "application/xml");

        var layoutIndex = JsonNode.Parse(await File.ReadAllTextAsync(System.IO.Path.Combine(Spec, "index.json")))!;
        var listed = layoutIndex["manifests"]!.AsArray();
        foreach (var (descriptor, tag) in new[] { (minimal, "minimal"), (withoutConfigBlob, "without-config"), (withConfigBlob, "with-config"), (indexBlob, "index") })
        {
            var entry = DescriptorNode(descriptor);
            entry["annotations"] = new JsonObject { [OciLayoutReader.RefNameAnnotation] = tag };
            listed.Add(entry);
        }
        var untagged = DescriptorNode(referrerBlob);
        untagged["artifactType"] = "application/vnd.example+type";
        listed.Add(untagged);
        var auxiliary = DescriptorNode(xml);
        auxiliary["annotations"] = JsonNode.Parse(Example("layout-index.json"))!["manifests"]![2]!["annotations"]!.DeepClone();
        listed.Add(auxiliary);
        await File.WriteAllTextAsync(System.IO.Path.Combine(Spec, "index.json"), layoutIndex.ToJsonString());
        return imageDescriptor;
    }

    [Theory]
    [MemberData(nameof(Tags))]
    public async Task Digest_manifest_config_and_copies_keep_the_bytes_skopeo_reads(string tag)
    {
        await BuildAsync();
        var source = $"oci:{Spec}:{tag}";
        var manifest = await SkopeoAsync("inspect", "--raw", source);
        Assert.Equal(manifest, (await CliTool.SucceedAsync(["manifest", source])).Output);
        Assert.Equal(Sha256(manifest), (await CliTool.SucceedAsync(["digest", source])).Output.Trim());
        if (tag == "minimal") Assert.Equal(Example("minimal-artifact.json"), manifest);
        using (var document = JsonDocument.Parse(manifest))
        {
            if (document.RootElement.TryGetProperty("config", out var configDescriptor))
            {
                var config = (await CliTool.SucceedAsync(["config", source])).Output;
                Assert.Equal(configDescriptor.GetProperty("digest").GetString(), Sha256(config));
            }
        }

        await CliTool.SucceedAsync(["copy", source, $"oci:{_dir["copy"]}:{tag}"]);
        Assert.Equal(manifest, await SkopeoAsync("inspect", "--raw", $"oci:{_dir["copy"]}:{tag}"));
        Assert.Equal(Reachable(Spec, Sha256(manifest)), Blobs(_dir["copy"]));
        await CliTool.SucceedAsync(["copy", source, $"oci-archive:{_dir["copy.tar"]}:{tag}"]);
        Assert.Equal(manifest, await SkopeoAsync("inspect", "--raw", $"oci-archive:{_dir["copy.tar"]}:{tag}"));
        var pushed = $"{registry.Server.Host}/spec/{tag}:1";
        await CliTool.SucceedAsync(["copy", source, pushed]);
        Assert.Equal(manifest, await SkopeoAsync("inspect", "--tls-verify=false", "--raw", $"docker://{pushed}"));
        await CliTool.SucceedAsync(["copy", pushed, $"oci:{_dir["back"]}:{tag}"]);
        Assert.Equal(manifest, await SkopeoAsync("inspect", "--raw", $"oci:{_dir["back"]}:{tag}"));
    }

    [Theory]
    [InlineData("minimal")]
    [InlineData("without-config")]
    [InlineData("with-config")]
    public async Task Inspect_describes_an_artifact_and_filesystem_verbs_refuse_it_with_one_line(string tag)
    {
        await BuildAsync();
        var source = $"oci:{Spec}:{tag}";
        using var inspect = JsonDocument.Parse((await CliTool.SucceedAsync(["inspect", source])).Output);
        Assert.StartsWith("application/vnd.example", inspect.RootElement.GetProperty("ArtifactType").GetString(), StringComparison.Ordinal);
        string[][] verbs = [["export", source, _dir["out.tar"]], ["flatten", source, "-t", $"oci:{_dir["flat"]}:1"], ["unpack", source, _dir["rootfs"]], ["copy", source, $"docker-archive:{_dir["out.tar"]}"]];
        foreach (var args in verbs)
        {
            var result = await CliTool.RunAsync(args);
            Assert.Equal(1, result.ExitCode);
            var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Matches("^dockerless: .*an artifact \\(application/vnd\\.example[^)]*\\), not an image", line);
        }
        Assert.False(File.Exists(_dir["out.tar"]));
        Assert.False(Directory.Exists(_dir["flat"]));
    }

    [Fact]
    public async Task A_tagged_image_beside_a_referrer_and_an_auxiliary_entry_reads_and_exports()
    {
        var image = await BuildAsync();
        Assert.Equal(image.Digest.ToString(), (await CliTool.SucceedAsync(["digest", $"oci:{Spec}:image"])).Output.Trim());
        await CliTool.SucceedAsync(["export", $"oci:{Spec}:image", _dir["rootfs.tar"]]);
        var umoci = await Peer.TryRunAsync("umoci", ["unpack", "--rootless", "--image", $"{Spec}:image", _dir["bundle"]]);
        Assert.True(umoci.ExitCode == 0, umoci.Output);
    }

    [Fact]
    public async Task Referrers_lists_the_untagged_referrer_of_the_layout_example_and_copy_takes_it_along()
    {
        var image = await BuildAsync();
        var listed = (await CliTool.SucceedAsync(["referrers", $"oci:{Spec}:image"])).Output.Trim().Split('\t');
        Assert.Equal("application/vnd.example+type", listed[1]);
        Assert.Empty((await CliTool.SucceedAsync(["referrers", $"oci:{Spec}:image", "--artifact-type", "application/vnd.other"])).Output);

        var copied = await CliTool.SucceedAsync(["copy", $"oci:{Spec}:image", $"{registry.Server.Host}/spec/referred:1"]);
        Assert.Contains("1 referrer left behind", copied.Error, StringComparison.Ordinal);
        await CliTool.SucceedAsync(["copy", "--referrers", $"oci:{Spec}:image", $"{registry.Server.Host}/spec/referred:2"]);
        var there = (await CliTool.SucceedAsync(["referrers", $"{registry.Server.Host}/spec/referred@{image.Digest}"])).Output.Trim();
        Assert.Equal(listed[0], there.Split('\t')[0]);
    }

    [Fact]
    public async Task A_platform_the_index_lacks_lists_every_entry_by_digest_and_media_type()
    {
        await BuildAsync();
        var result = await CliTool.RunAsync("copy", "--platform", "linux/s390x", $"oci:{Spec}:index", $"oci:{_dir["out"]}:1");
        Assert.Equal(1, result.ExitCode);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(result.Error.Trim(), @"no image for platform linux/s390x; it has linux/ppc64le \(sha256:[0-9a-f]{64}, application/vnd\.oci\.image\.manifest\.v1\+json\), no platform \(sha256:[0-9a-f]{64}, application/vnd\.oci\.image\.index\.v1\+json\)$"), result.Error);
        Assert.DoesNotContain("?", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir["out"]));
    }
}
