using System.Formats.Tar;
using System.Text;
using System.Text.Json.Nodes;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.Tests.Archives;

public sealed class BadArchiveTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<Image> SampleAsync()
    {
        var layer = await TestLayer.BuildAsync(_dir[$"layer-{Guid.NewGuid():N}"], [new("hello", "hello"u8.ToArray())]);
        return TestLayer.ImageOf("app", "v1", layer);
    }

    /// <summary>
    /// Writes the sample to a.tar; returns a copy of its config whose diff_id is wrong, with the
    /// archive names of the real config and of the copy.
    /// </summary>
    private async Task<(byte[] Config, string OldName, string NewName)> WriteWithWrongDiffIdAsync()
    {
        var image = await SampleAsync();
        await image.WriteFileAsync(_dir["a.tar"]);
        var config = image.GetConfigBytes();
        var bad = TarRewrite.Replace(config, image.Layers[0].DiffId.Encoded, new string('0', 64));
        return (bad, $"{Digest.Compute(config).Encoded}.json", $"{Digest.Compute(bad).Encoded}.json");
    }


    [Fact]
    public async Task A_truncated_tar_names_the_file_and_the_entry()
    {
        await (await SampleAsync()).WriteFileAsync(_dir["a.tar"]);
        var bytes = await File.ReadAllBytesAsync(_dir["a.tar"]);
        await File.WriteAllBytesAsync(_dir["cut.tar"], bytes[..3300]);
        var e = await Assert.ThrowsAsync<CorruptArchiveException>(() => Image.LoadAsync(_dir["cut.tar"]));
        Assert.Contains(_dir["cut.tar"], e.Message, StringComparison.Ordinal);
        Assert.Contains("layer.tar", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_naming_a_missing_layer_fails_with_MissingBlobException()
    {
        await (await SampleAsync()).WriteFileAsync(_dir["a.tar"]);
        await TarRewrite.RewriteAsync(_dir["a.tar"], _dir["b.tar"], (name, data) => name.EndsWith("/layer.tar", StringComparison.Ordinal) ? null : (name, data));
        var e = await Assert.ThrowsAsync<MissingBlobException>(() => Image.LoadAsync(_dir["b.tar"]));
        Assert.Contains("layer.tar", e.Message, StringComparison.Ordinal);
        Assert.Contains(_dir["b.tar"], e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_layer_path_with_dot_dot_is_refused()
    {
        await (await SampleAsync()).WriteFileAsync(_dir["a.tar"]);
        await TarRewrite.RewriteAsync(_dir["a.tar"], _dir["b.tar"], (name, data) => name == "manifest.json" ? (name, TarRewrite.Replace(data, "\"Layers\":[\"", "\"Layers\":[\"../")) : (name, data));
        var e = await Assert.ThrowsAsync<UnsafeArchivePathException>(() => Image.LoadAsync(_dir["b.tar"]));
        Assert.Contains("..", e.Entry, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_absolute_entry_name_in_the_archive_is_refused()
    {
        await (await SampleAsync()).WriteFileAsync(_dir["a.tar"]);
        await TarRewrite.RewriteAsync(_dir["a.tar"], _dir["b.tar"], (name, data) => name == "repositories" ? ("/etc/repositories", data) : (name, data));
        var e = await Assert.ThrowsAsync<UnsafeArchivePathException>(() => Image.LoadAsync(_dir["b.tar"]));
        Assert.Equal("/etc/repositories", e.Entry);
    }

    [Fact]
    public async Task A_link_leaving_the_archive_is_refused()
    {
        await using (var writer = new TarWriter(File.Create(_dir["link.tar"]), TarEntryFormat.Pax))
        {
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "manifest.json") { LinkName = "../../etc/passwd" });
        }
        await Assert.ThrowsAsync<UnsafeArchivePathException>(() => Image.LoadAsync(_dir["link.tar"]));
    }

    [Fact]
    public async Task A_corrupt_layer_blob_fails_the_write_and_leaves_no_output()
    {
        await (await SampleAsync()).WriteOciLayoutAsync(_dir["layout"]);
        var loaded = Assert.Single(await Image.LoadAsync(_dir["layout"]));
        var blob = _dir[$"layout/blobs/sha256/{loaded.Layers[0].Digest.Encoded}"];
        var bytes = await File.ReadAllBytesAsync(blob);
        bytes[^5] ^= 0xff;
        await File.WriteAllBytesAsync(blob, bytes);

        var e = await Assert.ThrowsAnyAsync<DockerlessException>(() => loaded.WriteFileAsync(_dir["out.tar"]));
        Assert.IsType<DigestMismatchException>(e);
        await Assert.ThrowsAsync<DigestMismatchException>(() => loaded.WriteOciLayoutAsync(_dir["copy"]));
        await Assert.ThrowsAsync<DigestMismatchException>(() => loaded.WriteOciArchiveAsync(_dir["copy.tar"]));
        Assert.False(File.Exists(_dir["out.tar"]) || Directory.Exists(_dir["copy"]) || File.Exists(_dir["copy.tar"]));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.Path, ".*"));
    }

    [Fact]
    public async Task A_blob_of_the_wrong_size_is_reported_on_load()
    {
        await (await SampleAsync()).WriteOciLayoutAsync(_dir["layout"]);
        var loaded = Assert.Single(await Image.LoadAsync(_dir["layout"]));
        await File.AppendAllTextAsync(_dir[$"layout/blobs/sha256/{loaded.Layers[0].Digest.Encoded}"], "x");
        var e = await Assert.ThrowsAsync<DigestMismatchException>(() => Image.LoadAsync(_dir["layout"]));
        Assert.Contains(loaded.Layers[0].Digest.Encoded, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"app": null}""")]
    [InlineData("""{"app": {"v1": null}}""")]
    [InlineData("""{"app": {"v1": ""}}""")]
    public async Task Legacy_repositories_without_a_layer_id_are_a_format_error(string repositories)
    {
        await (await SampleAsync()).WriteFileAsync(_dir["a.tar"]);
        // Without manifest.json the archive is read as the legacy format, through repositories.
        await TarRewrite.RewriteAsync(_dir["a.tar"], _dir["b.tar"], (name, data) => name switch
        {
            "manifest.json" => null,
            "repositories" => (name, Encoding.UTF8.GetBytes(repositories)),
            _ => (name, data),
        });
        var e = await Assert.ThrowsAsync<InvalidImageFormatException>(() => Image.LoadAsync(_dir["b.tar"]));
        Assert.Contains("repositories\": invalid JSON: the tags of \"app\" are null or name no layer id", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_null_image_entry_in_manifest_json_is_a_format_error()
    {
        await (await SampleAsync()).WriteFileAsync(_dir["a.tar"]);
        await TarRewrite.RewriteAsync(_dir["a.tar"], _dir["b.tar"], (name, data) => name == "manifest.json" ? (name, "[null]"u8.ToArray()) : (name, data));
        var e = await Assert.ThrowsAsync<InvalidImageFormatException>(() => Image.LoadAsync(_dir["b.tar"]));
        Assert.Contains("manifest.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_config_not_named_by_its_digest_loads_under_the_digest_of_its_bytes()
    {
        // docker load, podman load and skopeo name the config by its bytes, never by its file name.
        await (await SampleAsync()).WriteFileAsync(_dir["a.tar"]);
        byte[]? edited = null;
        await TarRewrite.RewriteAsync(_dir["a.tar"], _dir["b.tar"], (name, data) => name.EndsWith(".json", StringComparison.Ordinal) && !name.Contains('/', StringComparison.Ordinal) && name != "manifest.json"
            ? (name, edited = TarRewrite.Replace(data, "\"Cmd\"", " \"Cmd\""))
            : (name, data));
        var loaded = Assert.Single(await Image.LoadAsync(_dir["b.tar"]));
        Assert.Equal(Digest.Compute(edited!), loaded.GetRawManifest().Manifest!.Config.Digest);
        await loaded.ExportAsync(Stream.Null);
    }

    [Fact]
    public async Task A_cancelled_write_leaves_nothing()
    {
        var image = await SampleAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => image.WriteFileAsync(_dir["a.tar"], cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => image.WriteOciLayoutAsync(_dir["layout"], cancelled.Token));
        Assert.Single(Directory.EnumerateFileSystemEntries(_dir.Path));
    }

    [Fact]
    public async Task A_file_that_is_no_archive_is_named_in_the_error()
    {
        await File.WriteAllTextAsync(_dir["x.tar"], new string('x', 2048));
        var e = await Assert.ThrowsAnyAsync<DockerlessException>(() => Image.LoadAsync(_dir["x.tar"]));
        Assert.Contains(_dir["x.tar"], e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_layer_that_does_not_match_the_config_diff_id_fails_when_it_is_streamed()
    {
        var (bad, oldName, newName) = await WriteWithWrongDiffIdAsync();
        await TarRewrite.RewriteAsync(_dir["a.tar"], _dir["b.tar"], (name, data) =>
            name == oldName ? (newName, bad) : name == "manifest.json" ? (name, TarRewrite.Replace(data, oldName, newName)) : (name, data));

        // Loading trusts the config (reading every layer to check would read each blob twice) ...
        var loaded = Assert.Single(await Image.LoadAsync(_dir["b.tar"]));
        // ... and the first read of the layer finds the difference.
        var e = await Assert.ThrowsAsync<DigestMismatchException>(() => loaded.WriteOciArchiveAsync(_dir["out.tar"]));
        Assert.Contains("layer.tar", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir["out.tar"]));
    }

    [Fact]
    public async Task Two_configs_giving_one_layer_file_different_diff_ids_are_refused_naming_both()
    {
        var (other, _, otherName) = await WriteWithWrongDiffIdAsync();
        await TarRewrite.RewriteAsync(_dir["a.tar"], _dir["b.tar"], (name, data) =>
        {
            if (name != "manifest.json") return (name, data);
            // A second image: the same layer file, a config that says its diff_id is something else.
            var manifest = JsonNode.Parse(data)!.AsArray();
            var second = manifest[0]!.DeepClone();
            second["Config"] = otherName;
            second["RepoTags"] = new JsonArray("other:v1");
            manifest.Add(second);
            return (name, Encoding.UTF8.GetBytes(manifest.ToJsonString()));
        });
        await TarRewrite.AppendAsync(_dir["b.tar"], _dir["c.tar"], otherName, other);

        var e = await Assert.ThrowsAsync<InvalidImageFormatException>(() => Image.LoadAsync(_dir["c.tar"]));
        Assert.Contains(otherName, e.Message, StringComparison.Ordinal);
        Assert.Contains("layer.tar", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gzip_compressed_archive_is_named_as_such()
    {
        await (await SampleAsync()).WriteFileAsync(_dir["a.tar"]);
        await using (var input = File.OpenRead(_dir["a.tar"]))
        await using (var gzip = new System.IO.Compression.GZipStream(File.Create(_dir["a.tar.gz"]), System.IO.Compression.CompressionLevel.Fastest))
        {
            await input.CopyToAsync(gzip);
        }
        var e = await Assert.ThrowsAsync<CorruptArchiveException>(() => Image.LoadAsync(_dir["a.tar.gz"]));
        Assert.Contains("compressed", e.Message, StringComparison.Ordinal);
    }
}
