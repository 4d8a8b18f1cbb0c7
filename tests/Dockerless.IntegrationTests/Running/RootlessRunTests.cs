using Dockerless.IntegrationTests.Cli;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Running;

/// <summary>
/// <c>dockerless run --runtime runc|crun</c> run by an unprivileged user (made for the tests, with
/// subordinate ids as a rootless podman user has): a user namespace maps the user to root inside,
/// as <c>runc spec --rootless</c> does. Where rootless and docker agree the outputs are compared
/// with docker's; where they cannot (the device nodes are the host's, bound in; no supplementary
/// groups; every file of the root is the user's, so root's inside) the rootless output is asserted
/// as documented in docs/run.md.
/// </summary>
[Collection(DockerDaemonTests.Name)]
public sealed class RootlessRunTests(DockerDaemon daemon, RunnableImage image) : IClassFixture<RunnableImage>, IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _directory = new();
    private string _home = "";
    private IReadOnlyList<string> _launcher = [];

    public static TheoryData<string> Runtimes => new() { "runc", "crun" };

    public async Task InitializeAsync()
    {
        if (!await daemon.HasImageAsync(image.Reference)) await daemon.RunAsync("load", "-i", image.Archive);
        await UnprivilegedUser.EnsureSubordinateIdsAsync();
        Peer.Require("newuidmap");
        _home = await UnprivilegedUser.OwnedDirectoryAsync(_directory.Path, "home");
        _launcher = await UnprivilegedUser.LauncherAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _directory.Dispose();

    private string Bundles => Path.Combine(_home, ".cache", "dockerless", "run");

    private Task<CliResult> RunAsync(string runtime, string[] flags, string script, string? stdin = null, Func<System.Diagnostics.Process, Task>? whileRunning = null)
        => CliTool.RunAsync(["run", "--runtime", runtime, .. flags, image.Location, "--", script],
            new Dictionary<string, string?> { ["HOME"] = _home, ["DOTNET_CLI_HOME"] = _home, ["TMPDIR"] = _home },
            stdin, _home, whileRunning, _launcher);

    private void AssertNothingLeft() => Assert.Empty(Directory.Exists(Bundles) ? Directory.EnumerateFileSystemEntries(Bundles) : []);

    [Theory]
    [InlineData("runc", "id -u; id -g; id -un; env | sort")]
    [InlineData("crun", "id -u; id -g; id -un; env | sort")]
    [InlineData("runc", "cat /etc/hostname /etc/hosts /etc/resolv.conf; hostname")]
    [InlineData("crun", "cat /etc/hostname /etc/hosts /etc/resolv.conf; hostname")]
    [InlineData("runc", "grep -E '^(Cap|Seccomp|NoNewPrivs)' /proc/self/status; ulimit -n")]
    [InlineData("crun", "grep -E '^(Cap|Seccomp|NoNewPrivs)' /proc/self/status; ulimit -n")]
    [InlineData("runc", "touch /tmp/t /data/d && ls -n /tmp/t /data/d; cat /data/file.txt; pwd")]
    [InlineData("crun", "touch /tmp/t /data/d && ls -n /tmp/t /data/d; cat /data/file.txt; pwd")]
    [InlineData("runc", "ls /proc/kcore /proc/keys /sys/firmware; touch /proc/sys/x /sys/x; mount -t tmpfs t /tmp")]
    [InlineData("crun", "ls /proc/kcore /proc/keys /sys/firmware; touch /proc/sys/x /sys/x; mount -t tmpfs t /tmp")]
    public async Task Root_inside_sees_what_docker_root_sees(string runtime, string probe)
    {
        var script = $"echo \"@$(hostname)@\"; {probe}";
        var expected = await ContainerOutput.DockerAsync(daemon, ["run", "--rm", "--network", "none", "-u", "0", image.Reference, script]);
        var result = await RunAsync(runtime, ["-u", "0"], script);
        Assert.Equal(expected.Normalized(), new ContainerOutput(result.ExitCode, result.Output, result.Error).Normalized());
        AssertNothingLeft();
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task The_caller_is_root_inside_and_the_devices_are_the_hosts(string runtime)
    {
        var (uid, gid) = await UnprivilegedUser.EnsureAsync();
        var result = await RunAsync(runtime, ["-u", "0"], "cat /proc/self/uid_map /proc/self/gid_map; ls -ln /dev/null; stat -c %u:%g /home/app; id");
        Assert.True(result.ExitCode == 0, result.ToString());
        // runc writes the caller's own ids; crun on a hybrid cgroup host runs in a namespace of its own whose root the caller is (docs/run.md).
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
        Assert.Contains(lines[0], new[] { $"0 {uid} 1", "0 0 1" });
        Assert.Contains(lines[1], new[] { $"0 {gid} 1", "0 0 1" });
        Assert.StartsWith("crw-rw-rw- 1 65534 65534 1, 3", lines[2], StringComparison.Ordinal);
        // The image gives /home/app to 1000:1000; a rootless unpack gives every file to the caller, root inside.
        Assert.Equal("0:0", lines[3]);
        // docker's root has groups=0(root): a rootless container sets no supplementary groups.
        Assert.Equal("uid=0(root) gid=0(root)", lines[4]);
        AssertNothingLeft();
    }

    [Fact]
    public async Task The_images_user_runs_in_the_callers_subordinate_ids()
    {
        var result = await RunAsync("runc", [], "id; cat /proc/self/uid_map; pwd");
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.Split('\n');
        // docker adds groups=1000(app),2000(extra): runc sets no supplementary groups rootless.
        Assert.Equal("uid=1000(app) gid=1000(app)", lines[0]);
        Assert.Equal("1 300000 65536", string.Join(' ', lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("/home/app/work", lines[3]);
        AssertNothingLeft();
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task Exit_codes_streams_and_input_come_through(string runtime)
    {
        var result = await RunAsync(runtime, ["-u", "0", "-i"], "cat; echo err >&2; exit 7", stdin: "piped\n");
        Assert.Equal(new CliResult(7, "piped\n", "err\n"), result);
        AssertNothingLeft();
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task A_signal_is_forwarded_and_the_bundle_removed(string runtime)
    {
        var result = await RunAsync(runtime, ["-u", "0"], "trap 'exit 9' TERM; echo ready; while true; do sleep 0.1; done", whileRunning: async process =>
        {
            await RunningBundles.WaitForStartAsync(Bundles, process);
            await SignalTests.SendAsync(process, "TERM");
        });
        Assert.Equal(new CliResult(9, "ready\n", ""), result);
        AssertNothingLeft();
    }
}
