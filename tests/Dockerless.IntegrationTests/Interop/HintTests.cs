using System.IO.Compression;
using System.Text.RegularExpressions;
using Dockerless.IntegrationTests.Cli;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Interop;

/// <summary>
/// Every error that suggests a command or a location names one that then succeeds: each test
/// makes the error, takes the suggestion from its message and follows it.
/// </summary>
public sealed class HintTests(RegistryFixture registry) : IClassFixture<RegistryFixture>, IDisposable
{
    private static readonly string Sample = Path.Combine(CliTool.RepositoryRoot, "samples", "hello");
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<string> ErrorAsync(params string[] args)
    {
        var result = await CliTool.RunAsync(args);
        Assert.NotEqual(0, result.ExitCode);
        return Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_docker_transport_without_slashes_suggests_docker_slash_slash()
    {
        var image = $"{registry.Server.Host}/hint/app:1";
        await CliTool.SucceedAsync(["build", Sample, "-t", image]);
        var error = await ErrorAsync("digest", $"docker:{image}");
        Assert.Contains("write docker://REF", error, StringComparison.Ordinal);
        await CliTool.SucceedAsync(["digest", $"docker://{image}"]);
    }

    [Fact]
    public async Task A_file_given_as_a_reference_suggests_the_transports_and_the_right_one_works()
    {
        await CliTool.SucceedAsync(["build", Sample, "-t", $"docker-archive:{_dir["app.tar"]}:app:1"]);
        await CliTool.SucceedAsync(["build", Sample, "-t", $"oci:{_dir["layout"]}:1"]);
        foreach (var (path, transport) in new[] { (_dir["app.tar"], "docker-archive"), (_dir["layout"], "oci") })
        {
            var error = await ErrorAsync("digest", path);
            var suggested = Regex.Match(error, $"write .*({transport}:\\S+) ").Groups[1].Value;
            Assert.Equal($"{transport}:{path}", suggested);
            await CliTool.SucceedAsync(["digest", suggested]);
        }
    }

    [Fact]
    public async Task A_compressed_archive_suggests_decompressing_it_and_the_plain_tar_reads()
    {
        await CliTool.SucceedAsync(["build", Sample, "-t", $"docker-archive:{_dir["plain.tar"]}:app:1"]);
        await using (var input = File.OpenRead(_dir["plain.tar"]))
        await using (var output = new GZipStream(File.Create(_dir["app.tar"]), CompressionLevel.Fastest))
        {
            await input.CopyToAsync(output);
        }
        var error = await ErrorAsync("config", $"docker-archive:{_dir["app.tar"]}");
        Assert.Contains("decompress it to a plain tar first", error, StringComparison.Ordinal);
        await Peer.RunAsync("gzip", ["-d", "-S", ".tar", _dir["app.tar"]]);
        await File.WriteAllBytesAsync(_dir["app.tar"], await File.ReadAllBytesAsync(_dir["app"]));
        await CliTool.SucceedAsync(["config", $"docker-archive:{_dir["app.tar"]}"]);
    }

    [Fact]
    public async Task Pull_and_push_of_what_is_no_registry_image_suggest_copy_which_works()
    {
        await CliTool.SucceedAsync(["build", Sample, "-t", $"oci:{_dir["layout"]}:1"]);
        Assert.Contains("(use copy)", await ErrorAsync("pull", $"oci:{_dir["layout"]}:1", _dir["out.tar"]), StringComparison.Ordinal);
        await CliTool.SucceedAsync(["copy", $"oci:{_dir["layout"]}:1", $"docker-archive:{_dir["out.tar"]}"]);
        Assert.Contains("(use copy)", await ErrorAsync("push", $"oci:{_dir["layout"]}:1", $"oci:{_dir["other"]}:1"), StringComparison.Ordinal);
        await CliTool.SucceedAsync(["copy", $"oci:{_dir["layout"]}:1", $"oci:{_dir["other"]}:1"]);
    }

    [Fact]
    public async Task Several_platforms_into_a_docker_archive_suggest_a_layout_which_takes_them()
    {
        foreach (var arch in new[] { "amd64", "arm64" })
        {
            await CliTool.SucceedAsync(["build", Sample, "-t", $"oci:{_dir["multi"]}:1", "--platform", $"linux/{arch}"]);
        }
        var error = await ErrorAsync("copy", $"oci:{_dir["multi"]}:1", $"docker-archive:{_dir["out.tar"]}", "--platform", "linux/amd64", "--platform", "linux/arm64");
        Assert.Contains("several platforms go only to a registry or an OCI layout", error, StringComparison.Ordinal);
        await CliTool.SucceedAsync(["copy", $"oci:{_dir["multi"]}:1", $"oci:{_dir["both"]}:1", "--platform", "linux/amd64", "--platform", "linux/arm64"]);
        await CliTool.SucceedAsync(["copy", $"oci:{_dir["multi"]}:1", $"{registry.Server.Host}/hint/multi:1", "--platform", "linux/amd64", "--platform", "linux/arm64"]);
    }

    [Fact]
    public async Task A_layout_of_several_names_suggests_one_which_works()
    {
        await CliTool.SucceedAsync(["build", Sample, "-t", $"oci:{_dir["layout"]}:v1"]);
        await CliTool.SucceedAsync(["build", Sample, "-t", $"oci:{_dir["layout"]}:v2", "--to-path", "/two"]);
        var error = await ErrorAsync("digest", $"oci:{_dir["layout"]}");
        var suggested = Regex.Match(error, "name one, as (\\S+)$").Groups[1].Value;
        Assert.Equal($"oci:{_dir["layout"]}:v1", suggested);
        await CliTool.SucceedAsync(["export", suggested, _dir["rootfs.tar"]]);
    }
}
