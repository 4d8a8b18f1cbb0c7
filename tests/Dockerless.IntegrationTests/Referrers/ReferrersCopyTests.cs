using System.Text.Json;
using Dockerless.IntegrationTests.Cli;
using Dockerless.IntegrationTests.Fixtures;
using static Dockerless.IntegrationTests.Interop.CorpusInputs;

namespace Dockerless.IntegrationTests.Referrers;

/// <summary>
/// <c>copy --referrers</c> between two real registries (distribution 2.8: fallback tag schema at
/// both ends) and OCI layouts: a two-platform index with a signature-like artifact on the index,
/// an SBOM on one child, a signature of that SBOM (a referrer of a referrer) and a legacy cosign
/// <c>.sig</c> tag all arrive with their digests, findable from their subjects there.
/// </summary>
public sealed class ReferrersCopyTests(RegistryFixture registry) : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Host => registry.Server.Host;

    /// <summary>What the source holds: the index, its arm64 child, and the artifacts.</summary>
    private sealed record Source(string Reference, Digest Index, Digest Child, Digest Signature, Digest Sbom, Digest SbomSignature, string LegacyTag);

    private async Task<Source> BuildAsync(string repository)
    {
        var images = new List<Image>();
        foreach (var architecture in new[] { "amd64", "arm64" })
        {
            var image = TestLayer.ImageOf(repository, "1", await TestLayer.CreateAsync(new Dictionary<string, byte[]> { ["/etc/arch"] = System.Text.Encoding.UTF8.GetBytes(architecture) }));
            image.Platform = Platform.Parse($"linux/{architecture}");
            images.Add(image);
        }
        var reference = $"{Host}/{repository}:1";
        Digest index, child;
        await using (var built = ImageIndex.Create(images))
        {
            built.Name = repository;
            built.Tags.Add("1");
            index = (await ImageLocation.ParseDestination($"docker://{reference}").WriteIndexAsync(built))!.Value;
            child = images[1].GetDigest();
        }
        var signature = await AttachAsync(reference, "application/vnd.dev.cosign.artifact.sig.v1+json");
        var sbom = await AttachAsync($"{Host}/{repository}@{child}", "application/spdx+json");
        var sbomSignature = await AttachAsync($"{Host}/{repository}@{sbom}", "application/vnd.dev.cosign.artifact.sig.v1+json");
        var legacyTag = $"sha256-{index.Encoded}.sig";
        await CliTool.SucceedAsync(["tag", $"{Host}/{repository}@{signature}", legacyTag]);
        return new Source(reference, index, child, signature, sbom, sbomSignature, legacyTag);
    }

    private async Task<Digest> AttachAsync(string subject, string artifactType)
    {
        var file = _dir[Guid.NewGuid().ToString("n") + ".json"];
        await File.WriteAllTextAsync(file, $"{{\"type\":\"{artifactType}\"}}");
        return (await ImageLocation.Parse($"docker://{subject}").AttachAsync(new AttachOptions { ArtifactType = artifactType, Files = [new ArtifactFile(file, artifactType)] })).Digest;
    }

    private static async Task<Digest[]> ReferrersAsync(string location)
        => [.. (await ImageLocation.Parse(location).ListReferrersAsync()).Index!.Manifests.Select(m => m.Digest)];

    /// <summary>Every artifact findable from its subject at <paramref name="host"/>/<paramref name="repository"/>, with its digest, and the legacy tag's bytes kept.</summary>
    private static async Task AssertArrivedAsync(Source source, string host, string repository)
    {
        Assert.Equal([source.Signature], await ReferrersAsync($"docker://{host}/{repository}:1"));
        Assert.Equal([source.Sbom], await ReferrersAsync($"docker://{host}/{repository}@{source.Child}"));
        Assert.Equal([source.SbomSignature], await ReferrersAsync($"docker://{host}/{repository}@{source.Sbom}"));
        Assert.Equal(source.Index.ToString(), (await CliTool.SucceedAsync(["digest", $"{host}/{repository}:1"])).Output.Trim());
        var legacy = await SkopeoAsync("inspect", "--tls-verify=false", "--raw", $"docker://{host}/{repository}:{source.LegacyTag}");
        Assert.Equal(source.Signature.ToString(), Sha256(legacy));
    }

    [Fact]
    public async Task Registry_to_registry_copies_referrers_recursively_and_without_the_flag_says_what_was_left()
    {
        var source = await BuildAsync("rr/app");
        await using var other = await RegistryProcess.StartAsync();

        var plain = await CliTool.SucceedAsync(["copy", source.Reference, $"{other.Host}/plain/app:1"]);
        Assert.Contains("; 1 referrer left behind (--referrers copies them)", plain.Error, StringComparison.Ordinal);
        Assert.Empty(await ReferrersAsync($"docker://{other.Host}/plain/app:1"));

        var copied = await CliTool.SucceedAsync(["copy", "--referrers", source.Reference, $"{other.Host}/mirror/app:1"]);
        Assert.Contains("with 4 referrers", copied.Error, StringComparison.Ordinal);
        await AssertArrivedAsync(source, other.Host, "mirror/app");
        using var tagIndex = JsonDocument.Parse(await SkopeoAsync("inspect", "--tls-verify=false", "--raw", $"docker://{other.Host}/mirror/app:sha256-{source.Child.Encoded}"));
        Assert.Equal(source.Sbom.ToString(), Assert.Single(tagIndex.RootElement.GetProperty("manifests").EnumerateArray().ToArray()).GetProperty("digest").GetString());
    }

    [Fact]
    public async Task Registry_to_layout_lists_referrers_untagged_and_layout_to_registry_brings_them_back()
    {
        var source = await BuildAsync("rl/app");
        var layout = _dir["layout"];
        await CliTool.SucceedAsync(["copy", "--referrers", source.Reference, $"oci:{layout}:1"]);

        using (var index = JsonDocument.Parse(await File.ReadAllBytesAsync(System.IO.Path.Combine(layout, "index.json"))))
        {
            var entries = index.RootElement.GetProperty("manifests").EnumerateArray().ToArray();
            string? NameOf(JsonElement e) => e.TryGetProperty("annotations", out var a) && a.TryGetProperty("org.opencontainers.image.ref.name", out var n) ? n.GetString() : null;
            Assert.Equal(new[] { source.Signature, source.Sbom, source.SbomSignature }.Select(d => d.ToString()).Order(StringComparer.Ordinal),
                entries.Where(e => NameOf(e) is null).Select(e => e.GetProperty("digest").GetString()).Order(StringComparer.Ordinal));
            Assert.All(entries.Where(e => NameOf(e) is null), e => Assert.StartsWith("application/", e.GetProperty("artifactType").GetString(), StringComparison.Ordinal));
            Assert.Equal(new[] { "1", source.LegacyTag }.Order(StringComparer.Ordinal), entries.Select(NameOf).OfType<string>().Order(StringComparer.Ordinal));
        }
        Assert.Equal(source.Index.ToString(), Sha256(await SkopeoAsync("inspect", "--raw", $"oci:{layout}:1")));
        // oci-image-tool 1.0 predates OCI 1.1 and refuses the empty config of any artifact; skopeo reads them.
        Assert.Equal(source.Signature.ToString(), Sha256(await SkopeoAsync("inspect", "--raw", $"oci:{layout}:{source.LegacyTag}")));
        Assert.Equal([source.Signature], await ReferrersAsync($"oci:{layout}:1"));
        Assert.StartsWith($"{source.Signature}\tapplication/vnd.dev.cosign.artifact.sig.v1+json\t", (await CliTool.SucceedAsync(["referrers", $"oci:{layout}:1"])).Output, StringComparison.Ordinal);
        Assert.Equal(source.Sbom.ToString(), await LayoutReferrersOfAsync(layout, source.Child));
        Assert.Equal(source.SbomSignature.ToString(), await LayoutReferrersOfAsync(layout, source.Sbom));

        var copied = await CliTool.SucceedAsync(["copy", "--referrers", $"oci:{layout}:1", $"{Host}/back/app:1"]);
        Assert.Contains("with 4 referrers", copied.Error, StringComparison.Ordinal);
        await AssertArrivedAsync(source, Host, "back/app");
    }

    /// <summary>The referrers the layout lists for a manifest it holds by digest only (no ref name names it), as the library's layout store reads them.</summary>
    private static async Task<string> LayoutReferrersOfAsync(string layout, Digest subject)
    {
        var store = new Dockerless.Graph.LayoutStore(layout, false, layout);
        return string.Join(' ', (await store.ListReferrersAsync(subject, null, CancellationToken.None)).Referrers.Select(r => r.Digest));
    }
}
