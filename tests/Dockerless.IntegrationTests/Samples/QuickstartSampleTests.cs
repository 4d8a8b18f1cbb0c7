using Dockerless.IntegrationTests.Cli;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Samples;

/// <summary>
/// samples/Quickstart, a console program that references the packed Dockerless package only, does
/// what the CLI does (build, copy, inspect, append, mutate, export, flatten, indexes, login, run)
/// against a real registry and dockerd; skopeo reads what it pushed.
/// </summary>
[Collection(DockerDaemonTests.Name)]
public sealed class QuickstartSampleTests(DockerDaemon docker) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_sample_program_does_every_verb_through_the_public_api()
    {
        await using var registry = await RegistryProcess.StartAsync();
        var version = $"0.0.0-sample.{Guid.NewGuid():N}";
        var library = Path.Combine(CliTool.RepositoryRoot, "src", "Dockerless");
        var sample = Path.Combine(CliTool.RepositoryRoot, "samples", "Quickstart");
        await DotnetAsync(["pack", library, "-c", CliTool.Configuration, "--no-build", "-o", _dir["nupkg"], $"-p:PackageVersion={version}"]);
        await DotnetAsync(["build", sample, "-c", "Release", "-o", _dir["bin"], $"-p:DockerlessSource={_dir["nupkg"]}", $"-p:DockerlessVersion={version}"]);
        await using (var busybox = await BusyboxImage.BuildAsync(_dir.Path, "dockerless-sample-base", "latest"))
        {
            await busybox.WriteDockerArchiveAsync(_dir["base.tar"]);
        }

        var output = await Peer.RunAsync(CliTool.DotnetPath, [_dir["bin/Quickstart.dll"], $"docker-archive:{_dir["base.tar"]}", registry.Host, _dir["work"]], docker.Environment);

        Assert.Contains("ran: hello from the sample (exit 0)", output, StringComparison.Ordinal);
        Assert.Contains("logged in as sample; logged out: True", output, StringComparison.Ordinal);
        Assert.Contains("of linux/amd64, linux/arm64; copied linux/arm64", output, StringComparison.Ordinal);
        var appended = await Peer.RunAsync("skopeo", ["inspect", "--tls-verify=false", $"docker://{registry.Host}/sample/app:2"]);
        Assert.Contains("MUTATED=1", appended, StringComparison.Ordinal);
        await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", "--ref", "name=arm", _dir["work/arm"]]);
        Assert.True(new FileInfo(_dir["work/rootfs.tar"]).Length > 0);
        var cached = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages", "dockerless", version);
        if (Directory.Exists(cached)) Directory.Delete(cached, recursive: true);
    }

    private static async Task DotnetAsync(IEnumerable<string> args)
    {
        var (exitCode, output) = await Peer.TryRunAsync(CliTool.DotnetPath, args);
        Assert.True(exitCode == 0, $"dotnet {string.Join(' ', args)} exited {exitCode}:\n{output}");
    }
}
