using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Cli;

/// <summary>The tool packs with <c>dotnet pack</c> and installs with <c>dotnet tool install</c> as the <c>dockerless</c> command.</summary>
public class ToolPackageTests
{
    [Fact]
    public async Task Dotnet_pack_and_tool_install_give_a_dockerless_command()
    {
        using var dir = new TempDirectory();
        var project = Path.Combine(CliTool.RepositoryRoot, "src", "Dockerless.Cli");
        // The build the other tests run is packed as it is (no rebuild under their feet).
        await RunDotnetAsync(["pack", project, "-c", CliTool.Configuration, "--no-build", "-o", dir["nupkg"]]);
        await RunDotnetAsync(["tool", "install", "--tool-path", dir["tools"], "--add-source", dir["nupkg"], "Dockerless.Cli"]);

        var command = dir["tools/dockerless"];
        Assert.True(File.Exists(command), "dotnet tool install made no dockerless command");
        var version = await Peer.RunAsync(command, ["--version"]);
        Assert.Matches(@"^\d+\.\d+\.\d+", version);
        await Peer.RunAsync(command, ["build", Path.Combine(CliTool.RepositoryRoot, "samples", "hello"), "-t", $"docker-archive:{dir["hello.tar"]}"]);
        Assert.True(File.Exists(dir["hello.tar"]));
    }

    private static async Task RunDotnetAsync(IEnumerable<string> args)
    {
        var (exitCode, output) = await Peer.TryRunAsync(CliTool.DotnetPath, args);
        Assert.True(exitCode == 0, $"dotnet {string.Join(' ', args)} exited {exitCode}:\n{output}");
    }
}
