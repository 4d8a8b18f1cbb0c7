using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Cli;

/// <summary>The verbs that need no registry or engine, through the built tool, checked by skopeo and oci-image-tool.</summary>
public class LocalVerbTests
{
    private static readonly string Sample = Path.Combine(CliTool.RepositoryRoot, "samples", "hello");

    private static async Task<JsonElement> SkopeoJsonAsync(params string[] args)
    {
        var output = await Peer.RunAsync("skopeo", args);
        using var document = JsonDocument.Parse(output);
        return document.RootElement.Clone();
    }

    /// <summary>An output in a directory that does not exist: the error names the path given, not the temporary beside it.</summary>
    [Theory]
    [InlineData("copy", "docker-archive:{0}")]
    [InlineData("copy", "oci-archive:{0}")]
    [InlineData("export", "{0}")]
    public async Task A_write_into_a_missing_directory_names_the_path_given(string verb, string destination)
    {
        using var dir = new TempDirectory();
        var path = dir["no/such/dir/out"];
        var target = string.Format(System.Globalization.CultureInfo.InvariantCulture, destination, path);

        var result = await CliTool.RunAsync(verb, "scratch", target);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"dockerless: cannot write {path}: Could not find a part of the path '{path}'.", result.Error.Trim());
        Assert.False(Directory.Exists(dir["no"]));
    }

    [Fact]
    public async Task The_readme_build_writes_a_docker_archive_that_skopeo_reads()
    {
        using var dir = new TempDirectory();
        var archive = dir["hello.tar"];
        await CliTool.SucceedAsync(["build", Sample, "-t", $"docker-archive:{archive}:hello:1", "--to-path", "/app", "--cmd", "/app/hello.sh", "--label", "demo=yes"]);

        var inspect = await SkopeoJsonAsync("inspect", $"docker-archive:{archive}");
        Assert.Equal(1, inspect.GetProperty("Layers").GetArrayLength());
        Assert.Equal("yes", inspect.GetProperty("Labels").GetProperty("demo").GetString());
        var config = await SkopeoJsonAsync("inspect", "--config", $"docker-archive:{archive}");
        Assert.Equal("/app/hello.sh", config.GetProperty("config").GetProperty("Cmd")[0].GetString());

        // The one layer holds the sample under /app, the script still executable, owned by root.
        var entries = await LayerEntriesAsync(archive);
        Assert.Contains("app/message.txt", entries.Keys);
        Assert.True(entries["app/hello.sh"].HasFlag(UnixFileMode.UserExecute));
        Assert.False(entries["app/message.txt"].HasFlag(UnixFileMode.UserExecute));
    }

    [Fact]
    public async Task The_same_sources_give_the_same_digest_wherever_they_are()
    {
        using var dir = new TempDirectory();
        // A copy elsewhere, with other mtimes: the image must not record where or when the sources were.
        var copy = Path.Combine(dir["elsewhere"], "hello");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(Sample))
        {
            var target = Path.Combine(copy, Path.GetFileName(file));
            File.Copy(file, target);
            File.SetLastWriteTimeUtc(target, DateTime.UtcNow.AddDays(-3));
        }
        var first = await BuildDigestAsync(Sample, dir["a.tar"]);
        var second = await BuildDigestAsync(copy, dir["b.tar"]);
        Assert.Equal(first, second);

        static async Task<string> BuildDigestAsync(string sources, string archive)
        {
            await CliTool.SucceedAsync(["build", sources, "-t", $"docker-archive:{archive}", "--to-path", "/app"]);
            return (await CliTool.SucceedAsync(["digest", $"docker-archive:{archive}"])).Output.Trim();
        }
    }

    [Fact]
    public async Task Copy_goes_between_local_formats_and_keeps_the_digest()
    {
        using var dir = new TempDirectory();
        await CliTool.SucceedAsync(["build", Sample, "-t", $"oci:{dir["layout"]}:v1", "--to-path", "/app"]);
        await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", "--ref", "name=v1", dir["layout"]]);

        await CliTool.SucceedAsync(["copy", $"oci:{dir["layout"]}:v1", $"oci-archive:{dir["app.tar"]}:v2"]);
        await CliTool.SucceedAsync(["copy", $"oci-archive:{dir["app.tar"]}:v2", $"docker-archive:{dir["docker.tar"]}:app:3"]);
        var skopeo = await SkopeoJsonAsync("inspect", $"oci-archive:{dir["app.tar"]}:v2");
        var layout = (await CliTool.SucceedAsync(["digest", $"oci:{dir["layout"]}:v1"])).Output.Trim();
        var ociArchive = (await CliTool.SucceedAsync(["digest", $"oci-archive:{dir["app.tar"]}:v2"])).Output.Trim();
        Assert.Equal(layout, ociArchive);
        Assert.Equal(layout, skopeo.GetProperty("Digest").GetString());
        await Peer.RunAsync("skopeo", ["inspect", $"docker-archive:{dir["docker.tar"]}"]);
    }

    [Fact]
    public async Task Inspect_digest_manifest_and_config_agree()
    {
        using var dir = new TempDirectory();
        var layout = $"oci:{dir["layout"]}:v1";
        await CliTool.SucceedAsync(["build", Sample, "-t", layout, "--env", "GREETING=hi"]);
        var digest = (await CliTool.SucceedAsync(["digest", layout])).Output.Trim();
        var manifest = (await CliTool.SucceedAsync(["manifest", layout])).Output;
        var config = (await CliTool.SucceedAsync(["config", layout])).Output;
        Assert.Equal(digest, Sha256(manifest));
        using var manifestJson = JsonDocument.Parse(manifest);
        Assert.Equal(manifestJson.RootElement.GetProperty("config").GetProperty("digest").GetString(), Sha256(config));

        var inspect = JsonDocument.Parse((await CliTool.SucceedAsync(["inspect", layout])).Output).RootElement;
        Assert.Equal(digest, inspect.GetProperty("Digest").GetString());
        Assert.Equal("GREETING=hi", inspect.GetProperty("Env")[0].GetString());
        Assert.Equal(manifest, (await CliTool.SucceedAsync(["inspect", "--raw", layout])).Output);
        Assert.Equal(config, (await CliTool.SucceedAsync(["inspect", "--config", layout])).Output);
        var json = (await CliTool.SucceedAsync(["digest", layout, "--json"])).Output;
        Assert.Equal(digest, JsonDocument.Parse(json).RootElement.GetProperty("Digest").GetString());
    }

    [Fact]
    public async Task Mutate_and_append_change_config_and_layers()
    {
        using var dir = new TempDirectory();
        var base1 = $"docker-archive:{dir["base.tar"]}";
        await CliTool.SucceedAsync(["build", Sample, "-t", base1, "--to-path", "/app", "--env", "A=1", "--env", "B=2", "--label", "keep=1", "--label", "drop=1"]);
        var mutated = $"oci:{dir["layout"]}:m";
        await CliTool.SucceedAsync(["mutate", base1, "-t", mutated, "--clear-env", "--env", "C=3", "--label-rm", "drop", "--delete", "/app/message.txt",
            "--entrypoint", "/bin/sh", "--entrypoint", "-c", "--cmd", "echo hi", "--workdir", "/app", "--user", "1000", "--expose", "8080/tcp"]);
        var config = await SkopeoJsonAsync("inspect", "--config", $"{mutated}");
        var c = config.GetProperty("config");
        Assert.Equal(["C=3"], c.GetProperty("Env").EnumerateArray().Select(e => e.GetString()));
        Assert.False(c.GetProperty("Labels").TryGetProperty("drop", out _));
        Assert.Equal(["/bin/sh", "-c"], c.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("/app", c.GetProperty("WorkingDir").GetString());
        Assert.Equal("1000", c.GetProperty("User").GetString());
        Assert.True(c.GetProperty("ExposedPorts").TryGetProperty("8080/tcp", out _));
        Assert.Equal(2, config.GetProperty("rootfs").GetProperty("diff_ids").GetArrayLength());

        var appended = $"oci:{dir["layout"]}:a";
        await CliTool.SucceedAsync(["append", mutated, "-t", appended, "--layer", $"{Sample}/message.txt:/etc", "--layer", Sample]);
        var inspect = await SkopeoJsonAsync("inspect", appended);
        Assert.Equal(4, inspect.GetProperty("Layers").GetArrayLength());

        var removed = $"oci:{dir["removed"]}:r";
        await CliTool.SucceedAsync(["mutate", appended, "-t", removed, "--remove-layers", "3"]);
        Assert.Equal(1, (await SkopeoJsonAsync("inspect", removed)).GetProperty("Layers").GetArrayLength());
        await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", "--ref", "name=r", dir["removed"]]);
    }

    [Fact]
    public async Task Export_applies_whiteouts_and_flatten_makes_one_layer()
    {
        using var dir = new TempDirectory();
        var image = $"oci:{dir["layout"]}:d";
        await CliTool.SucceedAsync(["build", Sample, "-t", $"docker-archive:{dir["base.tar"]}", "--to-path", "/app"]);
        await CliTool.SucceedAsync(["mutate", $"docker-archive:{dir["base.tar"]}", "-t", image, "--delete", "/app/message.txt"]);

        await CliTool.SucceedAsync(["export", image, dir["fs.tar"]]);
        var names = new List<string>();
        await using (var file = File.OpenRead(dir["fs.tar"]))
        await using (var reader = new TarReader(file))
        {
            while (await reader.GetNextEntryAsync() is { } entry) names.Add(entry.Name.TrimEnd('/'));
        }
        Assert.Equal(["app", "app/hello.sh"], names);

        await CliTool.SucceedAsync(["flatten", image, "-t", $"docker-archive:{dir["flat.tar"]}"]);
        var flat = await SkopeoJsonAsync("inspect", $"docker-archive:{dir["flat.tar"]}");
        Assert.Equal(1, flat.GetProperty("Layers").GetArrayLength());
        var entries = await LayerEntriesAsync(dir["flat.tar"]);
        Assert.DoesNotContain("app/message.txt", entries.Keys);
        Assert.Contains("app/hello.sh", entries.Keys);
    }

    [Fact]
    public async Task Reading_a_missing_archive_fails_with_exit_1_naming_it()
    {
        using var dir = new TempDirectory();
        var result = await CliTool.RunAsync("inspect", $"docker-archive:{dir["nothing.tar"]}");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nothing.tar", result.Error, StringComparison.Ordinal);
    }

    private static string Sha256(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The paths and modes of the (only) layer of a docker-archive.</summary>
    private static async Task<Dictionary<string, UnixFileMode>> LayerEntriesAsync(string archive)
    {
        var result = new Dictionary<string, UnixFileMode>(StringComparer.Ordinal);
        await using var file = File.OpenRead(archive);
        await using var outer = new TarReader(file);
        while (await outer.GetNextEntryAsync() is { } entry)
        {
            if (!entry.Name.EndsWith("layer.tar", StringComparison.Ordinal) && !entry.Name.StartsWith("blobs/", StringComparison.Ordinal)) continue;
            if (entry.DataStream is null) continue;
            await using var inner = new TarReader(entry.DataStream);
            while (await inner.GetNextEntryAsync() is { } item) result[item.Name.TrimStart('.', '/')] = item.Mode;
        }
        return result;
    }
}
