namespace Dockerless.IntegrationTests.Cli;

/// <summary>The built tool's exit codes and one-line errors for what is wrong on the command line.</summary>
public class UsageTests
{
    [Fact]
    public async Task Version_prints_the_version_and_exits_0()
    {
        var result = await CliTool.RunAsync("--version");
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Output);
    }

    [Fact]
    public async Task Help_names_the_command_dockerless_and_every_verb()
    {
        var result = await CliTool.RunAsync("--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("dockerless [command] [options]", result.Output, StringComparison.Ordinal);
        foreach (var verb in new[] { "build", "copy", "pull", "push", "append", "mutate", "inspect", "digest", "manifest", "config",
                     "blob", "ls", "catalog", "tag", "delete", "export", "flatten", "unpack", "login", "logout", "run" })
        {
            Assert.Contains($"\n  {verb} ", result.Output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("unknown command, option or argument 'frobnicate'", "frobnicate")]
    [InlineData("unknown command, option or argument '--no-such-flag'", "inspect", "scratch", "--no-such-flag")]
    [InlineData("option '--tag' is required", "build", "samples/hello")]
    [InlineData("looks like a file", "build", "samples/hello", "-t", "hello.tar")]
    [InlineData("argument 'zip' not recognized", "pull", "app", "out", "--format", "zip")]
    [InlineData("--jobs abc: expected a whole number", "--jobs", "abc", "ls", "x")]
    [InlineData("--jobs 99999999999: expected a whole number", "ls", "x", "--jobs", "99999999999")]
    [InlineData("--remove-layers abc: expected a whole number", "mutate", "scratch", "-t", "oci:out", "--remove-layers", "abc")]
    [InlineData("catalog: invalid registry address \"127.0.0.1:5000/app\"", "catalog", "127.0.0.1:5000/app")]
    [InlineData("tag: the tag \"BAD TAG\" contains ' '", "tag", "127.0.0.1:5000/app:1", "BAD TAG")]
    public async Task Usage_errors_exit_2_with_one_line_naming_the_problem(string message, params string[] args)
    {
        var result = await CliTool.RunAsync(args, workingDirectory: CliTool.RepositoryRoot);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("dockerless: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_failure_exits_1_with_one_line_and_a_stack_trace_only_with_verbose()
    {
        var missing = Path.Combine(Path.GetTempPath(), "dockerless-missing-" + Guid.NewGuid().ToString("N"), "app.tar");
        var result = await CliTool.RunAsync("inspect", $"docker-archive:{missing}");
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("dockerless: ", line, StringComparison.Ordinal);
        Assert.Contains("app.tar", line, StringComparison.Ordinal);

        var verbose = await CliTool.RunAsync("inspect", $"docker-archive:{missing}", "-v");
        Assert.Equal(1, verbose.ExitCode);
        Assert.Contains("   at ", verbose.Error, StringComparison.Ordinal);
    }
}
