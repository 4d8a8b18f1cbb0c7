namespace Dockerless.IntegrationTests.Cli;

/// <summary><c>dockerless run</c>: engine discovery and its own failures (125).</summary>
/// <remarks>
/// Without --engine, a PATH without docker and podman leads to runc or crun, which are also
/// looked for in the sbin directories (see Running/RuntimeRunCliTests for a missing runtime).
/// </remarks>
public class RunTests
{
    [Fact]
    public async Task A_missing_engine_exits_125_naming_the_engine_looked_for()
    {
        var empty = Directory.CreateTempSubdirectory("dockerless-empty-path-");
        try
        {
            var result = await CliTool.RunAsync(["run", "scratch", "--engine", "docker", "--", "true"], new Dictionary<string, string?> { ["PATH"] = empty.FullName });
            Assert.Equal(125, result.ExitCode);
            Assert.Contains("dockerless: no container engine found: looked for docker on PATH", result.Error, StringComparison.Ordinal);
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
