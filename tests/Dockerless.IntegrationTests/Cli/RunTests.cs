namespace Dockerless.IntegrationTests.Cli;

/// <summary><c>dockerless run</c>: engine discovery and its own failures (125).</summary>
public class RunTests
{
    [Theory]
    [InlineData("docker", "looked for docker on PATH")]
    [InlineData(null, "looked for docker and podman on PATH")]
    public async Task A_missing_engine_exits_125_naming_the_engines_looked_for(string? engine, string message)
    {
        var empty = Directory.CreateTempSubdirectory("dockerless-empty-path-");
        try
        {
            string[] args = engine is null ? ["run", "scratch", "--", "true"] : ["run", "scratch", "--engine", engine, "--", "true"];
            var result = await CliTool.RunAsync(args, new Dictionary<string, string?> { ["PATH"] = empty.FullName });
            Assert.Equal(125, result.ExitCode);
            Assert.Contains($"dockerless: no container engine found: {message}", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Docker_daemon_without_an_engine_fails_with_exit_1_naming_the_engines()
    {
        var empty = Directory.CreateTempSubdirectory("dockerless-empty-path-");
        try
        {
            var result = await CliTool.RunAsync(["copy", "scratch", "docker-daemon:nothing:1"], new Dictionary<string, string?> { ["PATH"] = empty.FullName });
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("looked for docker and podman on PATH", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }
}
