using System.Runtime.InteropServices;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Cli;

/// <summary>
/// The tool publishes as Native AOT (what bench/run.sh measures and README offers) and the
/// native binary works: no trimming or reflection surprise in parsing, JSON or layer building.
/// </summary>
public class NativeAotTests
{
    [Fact]
    public async Task A_native_aot_publish_builds_an_image_skopeo_reads()
    {
        var rid = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "linux-x64",
            Architecture.Arm64 => "linux-arm64",
            var other => throw new PlatformNotSupportedException($"no Native AOT runtime identifier for {other}"),
        };
        using var dir = new TempDirectory();
        // A copy of the sources, so that this publish never touches the bin/ and obj/ the other tests run from.
        var root = Directory.CreateDirectory(dir["src"]).FullName;
        foreach (var file in new[] { "Directory.Build.props", "global.json" })
        {
            File.Copy(Path.Combine(CliTool.RepositoryRoot, file), Path.Combine(root, file));
        }
        foreach (var project in new[] { "Dockerless", "Dockerless.Cli" })
        {
            CopySources(Path.Combine(CliTool.RepositoryRoot, "src", project), Path.Combine(root, "src", project));
        }

        // --disable-build-servers: no MSBuild node or compiler server stays running after the test.
        var (exitCode, output) = await Peer.TryRunAsync(CliTool.DotnetPath,
            ["publish", Path.Combine(root, "src", "Dockerless.Cli"), "--disable-build-servers", "-c", "Release", "-r", rid, "-p:PublishAot=true", "-p:PublishReadyToRun=false", "-o", dir["aot"]],
            timeout: TimeSpan.FromMinutes(10));
        Assert.True(exitCode == 0, $"Native AOT publish failed:\n{output}");
        var tool = dir["aot/Dockerless.Cli"];
        Assert.False(File.Exists(dir["aot/Dockerless.Cli.runtimeconfig.json"]), "the publish made a framework-dependent tool, not a native one");

        Assert.Matches(@"^\d+\.\d+\.\d+", await Peer.RunAsync(tool, ["--version"]));
        await Peer.RunAsync(tool, ["build", Path.Combine(CliTool.RepositoryRoot, "samples", "hello"), "-t", $"docker-archive:{dir["hello.tar"]}:hello:1", "--to-path", "/app", "--cmd", "/app/hello.sh"]);
        var inspect = await Peer.RunAsync("skopeo", ["inspect", "--config", $"docker-archive:{dir["hello.tar"]}"]);
        Assert.Contains("/app/hello.sh", inspect, StringComparison.Ordinal);
    }

    private static void CopySources(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar)[0] is "bin" or "obj") continue;
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
