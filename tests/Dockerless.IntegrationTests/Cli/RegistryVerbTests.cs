using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Cli;

/// <summary>The registry verbs through the built tool against the real docker-registry, checked by skopeo.</summary>
public class RegistryVerbTests
{
    private static readonly string Sample = Path.Combine(CliTool.RepositoryRoot, "samples", "hello");

    private static async Task<string> OutputAsync(params string[] args) => (await CliTool.SucceedAsync(args)).Output;

    private static async Task<JsonElement> SkopeoInspectAsync(params string[] args)
    {
        using var document = JsonDocument.Parse(await Peer.RunAsync("skopeo", ["inspect", "--tls-verify=false", .. args]));
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task Build_to_a_registry_is_read_by_skopeo_and_validates()
    {
        await using var registry = await RegistryProcess.StartAsync();
        using var dir = new TempDirectory();
        var image = $"{registry.Host}/hello:1";
        await CliTool.SucceedAsync(["build", Sample, "-t", image, "--to-path", "/app", "--cmd", "/app/hello.sh"]);

        var inspect = await SkopeoInspectAsync($"docker://{image}");
        Assert.Equal((await OutputAsync("digest", image)).Trim(), inspect.GetProperty("Digest").GetString());
        await Peer.RunAsync("skopeo", ["copy", "--src-tls-verify=false", $"docker://{image}", $"oci:{dir["layout"]}:1"]);
        await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", "--ref", "name=1", dir["layout"]]);
        var raw = await Peer.RunAsync("skopeo", ["inspect", "--tls-verify=false", "--raw", $"docker://{image}"]);
        Assert.Equal(raw, await OutputAsync("manifest", image));
    }

    [Fact]
    public async Task Inspect_of_a_registry_image_gives_skopeos_fields_and_every_tag_of_the_repository()
    {
        await using var registry = await RegistryProcess.StartAsync();
        var image = $"{registry.Host}/hello:1";
        await CliTool.SucceedAsync(["build", Sample, "-t", image]);
        await CliTool.SucceedAsync(["tag", image, "stable"]);

        using var ours = JsonDocument.Parse(await OutputAsync("inspect", image));
        var theirs = await SkopeoInspectAsync($"docker://{image}");

        string[] Tags(JsonElement e) => [.. e.GetProperty("RepoTags").EnumerateArray().Select(t => t.GetString()!).Order(StringComparer.Ordinal)];
        Assert.Equal(["1", "stable"], Tags(ours.RootElement));
        Assert.Equal(Tags(theirs), Tags(ours.RootElement));
        Assert.Equal(theirs.GetProperty("Digest").GetString(), ours.RootElement.GetProperty("Digest").GetString());
        Assert.Equal(theirs.GetProperty("Architecture").GetString(), ours.RootElement.GetProperty("Architecture").GetString());
    }

    /// <summary>An OCI artifact's config (here the empty descriptor's <c>{}</c>) is printed as stored, as crane config prints it; no image is made of it.</summary>
    [Fact]
    public async Task Config_of_an_artifact_prints_its_config_blob()
    {
        await using var server = await RegistryProcess.StartAsync();
        await using var registry = new Registry($"http://{server.Host}");
        var config = "{}"u8.ToArray();
        var payload = "not a tar"u8.ToArray();
        Descriptor Blob(string mediaType, byte[] bytes) => new() { MediaType = mediaType, Digest = Digest.Compute(bytes), Size = bytes.Length };
        var configDescriptor = Blob("application/vnd.oci.empty.v1+json", config);
        var layer = Blob("application/octet-stream", payload);
        await Dockerless.Distribution.Blobs.BlobMover.MoveAsync(registry, "artifact/app",
            [new(configDescriptor, null, _ => Task.FromResult<Stream>(new MemoryStream(config))), new(layer, null, _ => Task.FromResult<Stream>(new MemoryStream(payload)))],
            4, null, CancellationToken.None);
        var manifest = new ImageManifest { MediaType = MediaTypes.OciManifest, ArtifactType = "application/vnd.example.thing", Config = configDescriptor, Layers = [layer] };
        await registry.Api.PutManifestAsync("artifact/app", "v1", JsonSerializer.SerializeToUtf8Bytes(manifest, Dockerless.Manifests.ManifestJsonContext.Default.ImageManifest), MediaTypes.OciManifest, CancellationToken.None);

        Assert.Equal("{}", await OutputAsync("config", $"{server.Host}/artifact/app:v1"));
    }

    /// <summary>A platform asked of a single-platform image must be its own, as docker pull --platform checks, from a registry as from a layout.</summary>
    [Fact]
    public async Task A_platform_a_single_platform_image_is_not_for_is_refused_and_writes_nothing()
    {
        await using var registry = await RegistryProcess.StartAsync();
        using var dir = new TempDirectory();
        var image = $"{registry.Host}/hello:1";
        await CliTool.SucceedAsync(["build", Sample, "-t", image, "--platform", "linux/amd64"]);
        await CliTool.SucceedAsync(["copy", image, $"oci:{dir["layout"]}"]);

        var fromRegistry = await CliTool.RunAsync("copy", image, $"docker-archive:{dir["out.tar"]}", "--platform", "linux/arm64", "-q");
        var fromLayout = await CliTool.RunAsync("copy", $"oci:{dir["layout"]}", $"docker-archive:{dir["out.tar"]}", "--platform", "linux/arm64");

        Assert.Equal(1, fromRegistry.ExitCode);
        Assert.Equal($"dockerless: {image}: no image for platform linux/arm64; it has linux/amd64", fromRegistry.Error.Trim());
        Assert.Equal(1, fromLayout.ExitCode);
        Assert.False(File.Exists(dir["out.tar"]));
        await CliTool.SucceedAsync(["copy", image, $"docker-archive:{dir["out.tar"]}", "--platform", "linux/amd64"]);

        // Into a registry, an OCI layout, or as the config: not copied or printed for the platform it is not for.
        var wanted = $"no image for platform linux/arm64; it has linux/amd64";
        foreach (var args in new[]
        {
            new[] { "copy", image, $"{registry.Host}/other:1", "--platform", "linux/arm64" },
            ["copy", image, $"{registry.Host}/other:1", "--platform", "linux/amd64", "--platform", "linux/arm64"],
            ["copy", image, $"oci:{dir["more"]}", "--platform", "linux/amd64", "--platform", "linux/arm64"],
            ["config", image, "--platform", "linux/arm64"],
        })
        {
            var result = await CliTool.RunAsync(args);
            Assert.True(result.ExitCode == 1 && result.Error.Trim().EndsWith(wanted, StringComparison.Ordinal) && result.Output.Length == 0, $"{string.Join(' ', args)}: {result}");
        }
        Assert.Equal(1, (await CliTool.RunAsync("ls", $"{registry.Host}/other")).ExitCode);
        Assert.False(Directory.Exists(dir["more"]));
    }

    /// <summary>An OCI ref name that is a whole reference, as skopeo writes <c>oci:DIR:example.com/app:1.0</c>: read and written alike.</summary>
    [Fact]
    public async Task A_whole_reference_as_an_OCI_ref_name_is_read_from_skopeo_and_written_for_it()
    {
        await using var registry = await RegistryProcess.StartAsync();
        using var dir = new TempDirectory();
        var image = $"{registry.Host}/hello:1";
        await CliTool.SucceedAsync(["build", Sample, "-t", image]);
        var digest = (await OutputAsync("digest", image)).Trim();

        await Peer.RunAsync("skopeo", ["copy", "--src-tls-verify=false", $"docker://{image}", $"oci:{dir["theirs"]}:example.com/app:1.0"]);
        await CliTool.SucceedAsync(["copy", image, $"oci:{dir["ours"]}:example.com/foo:2"]);

        Assert.Equal(digest, (await OutputAsync("digest", $"oci:{dir["theirs"]}:example.com/app:1.0")).Trim());
        Assert.Equal(digest, (await SkopeoInspectAsync($"oci:{dir["ours"]}:example.com/foo:2")).GetProperty("Digest").GetString());
        Assert.Equal(digest, (await OutputAsync("digest", $"oci:{dir["ours"]}:example.com/foo:2")).Trim());
        using var index = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir["ours"], "index.json")));
        var annotations = index.RootElement.GetProperty("manifests")[0].GetProperty("annotations");
        Assert.Equal("example.com/foo:2", annotations.GetProperty("org.opencontainers.image.ref.name").GetString());
        Assert.Equal("example.com/foo:2", annotations.GetProperty("io.containerd.image.name").GetString());
    }

    [Fact]
    public async Task Redirected_progress_is_one_line_per_blob_and_quiet_prints_nothing()
    {
        await using var registry = await RegistryProcess.StartAsync();
        var plain = await CliTool.SucceedAsync(["build", Sample, "-t", $"{registry.Host}/app:1"]);
        var lines = plain.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Count(l => l.StartsWith("sha256:", StringComparison.Ordinal) && l.EndsWith(" done", StringComparison.Ordinal)));
        Assert.Contains($"wrote {registry.Host}/app:1", plain.Error, StringComparison.Ordinal);

        var quiet = await CliTool.SucceedAsync(["build", Sample, "-t", $"{registry.Host}/app:2", "--quiet"]);
        Assert.Equal("", quiet.Error);
        Assert.Equal("", quiet.Output);
    }

    [Fact]
    public async Task Push_and_pull_round_trip_in_every_format()
    {
        await using var registry = await RegistryProcess.StartAsync();
        using var dir = new TempDirectory();
        await CliTool.SucceedAsync(["build", Sample, "-t", $"docker-archive:{dir["app.tar"]}", "--to-path", "/app"]);
        await CliTool.SucceedAsync(["push", dir["app.tar"], $"docker://{registry.Host}/app:1"]);
        var digest = (await OutputAsync("digest", $"{registry.Host}/app:1")).Trim();

        await CliTool.SucceedAsync(["pull", $"{registry.Host}/app:1", dir["pulled.tar"]]);
        await Peer.RunAsync("skopeo", ["inspect", $"docker-archive:{dir["pulled.tar"]}"]);
        await CliTool.SucceedAsync(["pull", $"{registry.Host}/app:1", dir["layout"], "--format", "oci"]);
        await CliTool.SucceedAsync(["pull", $"{registry.Host}/app:1", dir["oci.tar"], "--format", "oci-archive"]);
        Assert.Equal(digest, (await OutputAsync("digest", $"oci:{dir["layout"]}")).Trim());
        Assert.Equal(digest, (await OutputAsync("digest", $"oci-archive:{dir["oci.tar"]}")).Trim());
        // PATH written as a location says its own format.
        await CliTool.SucceedAsync(["pull", $"{registry.Host}/app:1", $"oci:{dir["prefixed"]}"]);
        Assert.Equal(digest, (await OutputAsync("digest", $"oci:{dir["prefixed"]}")).Trim());

        // A layout and an OCI tar push back with the same manifest.
        await CliTool.SucceedAsync(["push", dir["layout"], $"{registry.Host}/from-layout:1"]);
        await CliTool.SucceedAsync(["push", dir["oci.tar"], $"{registry.Host}/from-tar:1"]);
        Assert.Equal(digest, (await OutputAsync("digest", $"{registry.Host}/from-layout:1")).Trim());
        Assert.Equal(digest, (await OutputAsync("digest", $"{registry.Host}/from-tar:1")).Trim());
    }

    [Fact]
    public async Task Push_takes_local_locations_as_copy_does()
    {
        await using var registry = await RegistryProcess.StartAsync();
        using var dir = new TempDirectory();
        var layout = dir["multi"];
        await CliTool.SucceedAsync(["build", Sample, "-t", $"oci:{layout}:v1", "--to-path", "/one"]);
        await CliTool.SucceedAsync(["build", Sample, "-t", $"oci:{layout}:v2", "--to-path", "/two"]);

        // A bare layout of several names says how to name one, and push takes that spelling.
        var ambiguous = await CliTool.RunAsync("push", layout, $"{registry.Host}/app:1");
        Assert.Equal(1, ambiguous.ExitCode);
        Assert.Contains($"as oci:{layout}:v1", ambiguous.Error, StringComparison.Ordinal);
        await CliTool.SucceedAsync(["push", $"oci:{layout}:v1", $"{registry.Host}/app:1"]);
        await CliTool.SucceedAsync(["push", $"oci:{layout}:v2", $"{registry.Host}/app:2"]);
        Assert.Equal((await OutputAsync("digest", $"oci:{layout}:v2")).Trim(), (await OutputAsync("digest", $"{registry.Host}/app:2")).Trim());

        await CliTool.SucceedAsync(["build", Sample, "-t", $"docker-archive:{dir["app.tar"]}"]);
        await CliTool.SucceedAsync(["push", $"docker-archive:{dir["app.tar"]}", $"{registry.Host}/archive:1"]);
        Assert.Equal((await OutputAsync("digest", $"docker-archive:{dir["app.tar"]}")).Trim(), (await OutputAsync("digest", $"{registry.Host}/archive:1")).Trim());
        await CliTool.SucceedAsync(["copy", $"oci:{layout}:v1", $"oci-archive:{dir["oci.tar"]}:v1"]);
        await CliTool.SucceedAsync(["push", $"oci-archive:{dir["oci.tar"]}:v1", $"{registry.Host}/oci-archive:1"]);
        Assert.Equal((await OutputAsync("digest", $"oci:{layout}:v1")).Trim(), (await OutputAsync("digest", $"{registry.Host}/oci-archive:1")).Trim());

        var remote = await CliTool.RunAsync("push", $"docker://{registry.Host}/app:1", $"{registry.Host}/app:3");
        Assert.Equal(2, remote.ExitCode);
        Assert.Contains("use copy", remote.Error, StringComparison.Ordinal);
        var missing = await CliTool.RunAsync("push", dir["missing"], $"{registry.Host}/app:3");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no such file or directory", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ls_catalog_tag_delete_and_blob_manage_the_registry()
    {
        await using var registry = await RegistryProcess.StartAsync();
        var image = $"{registry.Host}/app:1";
        await CliTool.SucceedAsync(["build", Sample, "-t", image]);
        await CliTool.SucceedAsync(["tag", image, "2"]);
        Assert.Equal(["1", "2"], (await OutputAsync("ls", $"{registry.Host}/app")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        Assert.Equal("[\"app\"]", (await OutputAsync("catalog", registry.Host, "--json")).Trim());
        // A bad tag or a repository given to catalog is refused before any request.
        var badTag = await CliTool.RunAsync("tag", image, "BAD TAG");
        Assert.Equal(2, badTag.ExitCode);
        Assert.Contains("tag: the tag \"BAD TAG\" contains ' '", badTag.Error, StringComparison.Ordinal);
        var repository = await CliTool.RunAsync("catalog", $"{registry.Host}/app");
        Assert.Equal(2, repository.ExitCode);
        Assert.DoesNotContain("(Parameter", repository.Error, StringComparison.Ordinal);
        Assert.Equal("[\"app\"]", (await OutputAsync("catalog", $"docker://{registry.Host}", "--json")).Trim());
        Assert.Equal((await OutputAsync("digest", image)).Trim(), (await OutputAsync("digest", $"{registry.Host}/app:2")).Trim());

        using (var manifest = JsonDocument.Parse(await OutputAsync("manifest", image)))
        {
            var layer = manifest.RootElement.GetProperty("layers")[0].GetProperty("digest").GetString()!;
            var blob = await CliTool.RunAsync("blob", $"{registry.Host}/app@{layer}");
            Assert.Equal(0, blob.ExitCode);
        }

        // Deleting by tag deletes the manifest, and with it every tag on it (as skopeo delete does).
        await CliTool.SucceedAsync(["delete", $"{registry.Host}/app:2"]);
        Assert.Equal("", (await OutputAsync("ls", $"{registry.Host}/app")).Trim());
        var gone = await CliTool.RunAsync("digest", image);
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("MANIFEST_UNKNOWN", gone.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ls_tag_delete_and_blob_take_references_with_the_docker_transport()
    {
        await using var registry = await RegistryProcess.StartAsync();
        var image = $"docker://{registry.Host}/app:1";
        await CliTool.SucceedAsync(["build", Sample, "-t", image]);
        await CliTool.SucceedAsync(["tag", image, "2"]);
        Assert.Equal(["1", "2"], (await OutputAsync("ls", $"docker://{registry.Host}/app")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        var tagged = await CliTool.RunAsync("ls", $"docker://{registry.Host}/app:1");
        Assert.Equal(2, tagged.ExitCode);
        Assert.Contains("without a tag or digest", tagged.Error, StringComparison.Ordinal);

        var config = Encoding.UTF8.GetBytes(await OutputAsync("config", image));
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(config));
        Assert.Equal(Encoding.UTF8.GetString(config), await OutputAsync("blob", $"docker://{registry.Host}/app@{digest}"));

        await CliTool.SucceedAsync(["delete", $"docker://{registry.Host}/app:2"]);
        Assert.Equal("", (await OutputAsync("ls", $"docker://{registry.Host}/app")).Trim());
    }

    [Fact]
    public async Task Blob_writes_the_verified_bytes_to_stdout()
    {
        await using var registry = await RegistryProcess.StartAsync();
        using var dir = new TempDirectory();
        var image = $"{registry.Host}/app:1";
        await CliTool.SucceedAsync(["build", Sample, "-t", image]);
        var config = Encoding.UTF8.GetBytes(await OutputAsync("config", image));
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(config));
        var blob = await OutputAsync("blob", $"{registry.Host}/app@{digest}");
        Assert.Equal(Encoding.UTF8.GetString(config), blob);
    }

    [Fact]
    public async Task Copy_between_registries_keeps_the_index_or_narrows_to_a_platform()
    {
        await using var source = await RegistryProcess.StartAsync();
        await using var target = await RegistryProcess.StartAsync();
        // A two-platform index: both images built by the tool, the index put by the test itself.
        var entries = new List<string>();
        foreach (var arch in new[] { "amd64", "arm64" })
        {
            await CliTool.SucceedAsync(["build", Sample, "-t", $"{source.Host}/multi:{arch}", "--platform", $"linux/{arch}"]);
            var bytes = Encoding.UTF8.GetBytes(await OutputAsync("manifest", $"{source.Host}/multi:{arch}"));
            entries.Add($"{{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:{Convert.ToHexStringLower(SHA256.HashData(bytes))}\",\"size\":{bytes.Length},\"platform\":{{\"os\":\"linux\",\"architecture\":\"{arch}\"}}}}");
        }
        var indexJson = $"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{string.Join(',', entries)}]}}";
        using (var http = new HttpClient())
        using (var content = new StringContent(indexJson))
        {
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/vnd.oci.image.index.v1+json");
            using var put = await http.PutAsync(new Uri($"http://{source.Host}/v2/multi/manifests/1"), content);
            Assert.True(put.IsSuccessStatusCode, $"PUT index: {put.StatusCode}");
        }
        var index = (await OutputAsync("digest", $"{source.Host}/multi:1")).Trim();

        await CliTool.SucceedAsync(["copy", $"{source.Host}/multi:1", $"{target.Host}/multi:1"]);
        Assert.Equal(index, (await OutputAsync("digest", $"{target.Host}/multi:1")).Trim());

        await CliTool.SucceedAsync(["copy", $"{source.Host}/multi:1", $"{target.Host}/arm:1", "--platform", "linux/arm64"]);
        Assert.Equal((await OutputAsync("digest", $"{source.Host}/multi:arm64")).Trim(), (await OutputAsync("digest", $"{target.Host}/arm:1")).Trim());
        Assert.Equal("arm64", (await SkopeoInspectAsync($"docker://{target.Host}/arm:1")).GetProperty("Architecture").GetString());

        // A platform the index does not have is named, into a registry or a layout, even beside one it has.
        using var dir = new TempDirectory();
        foreach (var destination in new[] { $"{target.Host}/none:1", $"oci:{dir["none"]}:1" })
        {
            var missing = await CliTool.RunAsync("copy", $"{source.Host}/multi:1", destination, "--platform", "linux/amd64", "--platform", "linux/s390x");
            Assert.Equal(1, missing.ExitCode);
            Assert.Matches(@"no image for platform linux/s390x; it has linux/amd64 \(sha256:[0-9a-f]{64}, application/vnd\.oci\.image\.manifest\.v1\+json\), linux/arm64 \(sha256:[0-9a-f]{64}, application/vnd\.oci\.image\.manifest\.v1\+json\)$", missing.Error.Trim());
        }
        Assert.False(Directory.Exists(dir["none"]));

        // Into an OCI layout every platform goes, each manifest byte for byte.
        await CliTool.SucceedAsync(["copy", $"{source.Host}/multi:1", $"oci:{dir["layout"]}:1"]);
        foreach (var arch in new[] { "amd64", "arm64" })
        {
            Assert.Equal((await OutputAsync("digest", $"{source.Host}/multi:{arch}")).Trim(), (await OutputAsync("digest", $"oci:{dir["layout"]}:1", "--platform", $"linux/{arch}")).Trim());
        }
    }

    [Fact]
    public async Task Build_on_a_registry_base_into_a_registry_downloads_no_base_layer()
    {
        await using var registry = await RegistryProcess.StartAsync();
        var baseImage = $"{registry.Host}/base:1";
        await CliTool.SucceedAsync(["build", Sample, "-t", baseImage, "--to-path", "/base"]);
        using var manifest = JsonDocument.Parse(await OutputAsync("manifest", baseImage));
        var baseLayer = Dockerless.Content.Digest.Parse(manifest.RootElement.GetProperty("layers")[0].GetProperty("digest").GetString()!);

        await CliTool.SucceedAsync(["build", Sample, "--from", baseImage, "-t", $"{registry.Host}/app:1", "--to-path", "/app"]);
        Assert.Empty(RegistryProcess.BlobBodies(await registry.AccessLogAsync(), baseLayer));
        var inspect = await SkopeoInspectAsync($"docker://{registry.Host}/app:1");
        Assert.Equal(2, inspect.GetProperty("Layers").GetArrayLength());
        Assert.Equal(baseLayer.ToString(), inspect.GetProperty("Layers")[0].GetString());
    }
}
