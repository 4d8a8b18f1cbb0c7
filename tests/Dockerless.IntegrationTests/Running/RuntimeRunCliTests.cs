using Dockerless.IntegrationTests.Cli;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Running;

/// <summary>
/// <c>dockerless run --runtime runc|crun</c>, the command's own behaviour: exit codes (the
/// container's, 125, 126, 127 as docker gives them), signals forwarded then a kill, the bundle
/// removed on every path or kept with --keep, a terminal with -t.
/// </summary>
public sealed class RuntimeRunCliTests(RunnableImage image) : IClassFixture<RunnableImage>, IDisposable
{
    private readonly TempDirectory _cache = new();

    public static TheoryData<string> Runtimes => new() { "runc", "crun" };

    public void Dispose() => _cache.Dispose();

    private string Bundles => Path.Combine(_cache.Path, "run");

    private Task<CliResult> RunAsync(string runtime, string[] flags, params string[] command)
        => CliTool.RunAsync(["run", "--runtime", runtime, "--cache-dir", _cache.Path, .. flags, image.Location, "--", .. command]);

    /// <summary>No bundle is left, and so no runtime state, rootfs or mount of one.</summary>
    private void AssertNothingLeft()
    {
        Assert.Empty(Directory.Exists(Bundles) ? Directory.EnumerateFileSystemEntries(Bundles) : []);
        Assert.DoesNotContain(File.ReadLines("/proc/self/mountinfo"), line => line.Contains(_cache.Path, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task The_containers_exit_code_and_streams_come_through(string runtime)
    {
        var result = await RunAsync(runtime, [], "echo out; echo err >&2; exit 7");
        Assert.Equal(new CliResult(7, "out\n", "err\n"), result);
        AssertNothingLeft();
    }

    [Theory]
    [InlineData("runc", "/no/such/program", 127)]
    [InlineData("crun", "/no/such/program", 127)]
    [InlineData("runc", "/etc/passwd", 126)]
    [InlineData("crun", "/etc/passwd", 126)]
    public async Task A_command_that_cannot_run_exits_as_dockers_does(string runtime, string program, int exitCode)
    {
        var result = await RunAsync(runtime, ["--entrypoint", program]);
        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.Contains($"dockerless: {runtime} could not start the container: ", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
        AssertNothingLeft();
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task A_user_the_image_lacks_exits_125_naming_it(string runtime)
    {
        var result = await RunAsync(runtime, ["-u", "nobody"], "true");
        Assert.Equal(new CliResult(125, "", "dockerless: unable to find user nobody: no matching entries in passwd file\n"), result);
        AssertNothingLeft();
    }

    [Fact]
    public async Task A_runtime_that_is_not_installed_exits_125_saying_what_to_install()
    {
        var result = await RunAsync("no-such-runtime", [], "true");
        Assert.Equal(new CliResult(125, "", "dockerless: no OCI runtime found: looked for no-such-runtime on PATH; install one (apt-get install runc, or crun)\n"), result);
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task The_first_signal_goes_to_the_container(string runtime)
    {
        var result = await RunStartedAsync(runtime, "trap 'echo got TERM; exit 5' TERM; echo ready; while true; do sleep 0.1; done",
            process => SignalTests.SendAsync(process, "TERM"));
        Assert.Equal(new CliResult(5, "ready\ngot TERM\n", ""), result);
        AssertNothingLeft();
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task A_second_signal_kills_the_container_and_removes_its_bundle(string runtime)
    {
        // PID 1 ignores a signal it has no handler for: the first SIGINT changes nothing.
        var result = await RunStartedAsync(runtime, "exec sleep 60", async process =>
        {
            await SignalTests.SendAsync(process, "INT");
            await Task.Delay(500);
            Assert.False(process.HasExited);
            await SignalTests.SendAsync(process, "INT");
        });
        Assert.Equal(new CliResult(130, "", "dockerless: interrupted\n"), result);
        AssertNothingLeft();
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task Keep_keeps_the_bundle_and_names_it(string runtime)
    {
        var result = await RunAsync(runtime, ["--keep"], "echo kept > /tmp/kept");
        Assert.Equal(0, result.ExitCode);
        var bundle = Assert.Single(Directory.EnumerateDirectories(Bundles));
        Assert.Equal($"run: kept the bundle in {bundle}\n", result.Error);
        // Kept, the root filesystem stays mounted for inspection: the test unmounts it.
        try
        {
            Assert.Equal("kept\n", await File.ReadAllTextAsync(Path.Combine(bundle, "rootfs", "tmp", "kept")));
            Assert.True(File.Exists(Path.Combine(bundle, "config.json")));
        }
        finally
        {
            await Peer.TryRunAsync("umount", [Path.Combine(bundle, "rootfs")]);
        }
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task T_gives_the_container_a_terminal(string runtime)
    {
        // script(1) runs the tool on a terminal of its own, as a user's shell would.
        var command = string.Join(' ', new[] { CliTool.DotnetPath, CliTool.DllPath, "run", "--runtime", runtime, "--cache-dir", _cache.Path, "-t", image.Location, "--", "tty; echo $TERM; test -t 0 && echo stdin is a terminal" }.Select(Quote));
        var (exitCode, output) = await Peer.TryRunAsync("script", ["-qec", command, "/dev/null"]);
        Assert.True(exitCode == 0, output);
        // script(1)'s recording sometimes holds a ^@ (a NUL its terminal echoed while the runtime
        // switched that terminal to raw mode), which is not the container's output.
        Assert.EndsWith("/dev/pts/0\r\nxterm\r\nstdin is a terminal\r\n", output.Replace("^@", "", StringComparison.Ordinal), StringComparison.Ordinal);
        AssertNothingLeft();
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Runs <paramref name="script"/>, and <paramref name="act"/> on the tool once its container has started.</summary>
    private Task<CliResult> RunStartedAsync(string runtime, string script, Func<System.Diagnostics.Process, Task> act)
        => CliTool.RunAsync(["run", "--runtime", runtime, "--cache-dir", _cache.Path, image.Location, "--", script], whileRunning: async process =>
        {
            await RunningBundles.WaitForStartAsync(Bundles, process);
            await act(process);
        });
}
