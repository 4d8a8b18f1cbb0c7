using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Cli;

/// <summary>The same image written by two runs of the tool gives byte-identical archives.</summary>
public class ReproducibleArchiveTests
{
    private static readonly string Sample = Path.Combine(CliTool.RepositoryRoot, "samples", "hello");

    // Each run is its own process: TarWriter's PAX headers used to carry the process id.
    [Theory]
    [InlineData("docker-archive", "hello:1")]
    [InlineData("oci-archive", "v1")]
    public async Task Two_processes_write_the_same_bytes(string transport, string tag)
    {
        using var dir = new TempDirectory();
        string[] written = [$"{transport}:{dir["first.tar"]}:{tag}", $"{transport}:{dir["second.tar"]}:{tag}"];
        foreach (var target in written) await CliTool.SucceedAsync(["build", Sample, "-t", target, "--to-path", "/app"]);

        Assert.Equal(await File.ReadAllBytesAsync(dir["first.tar"]), await File.ReadAllBytesAsync(dir["second.tar"]));
        await Peer.RunAsync("skopeo", ["inspect", written[0]]);
    }
}
