using Dockerless.IntegrationTests.Fixtures;
using Dockerless.Running;

namespace Dockerless.IntegrationTests.Running;

/// <summary>
/// <c>run</c> with runc and with crun against <c>docker run --rm --network none</c> on the same
/// image (a named USER, WORKDIR, ENV, ENTRYPOINT + CMD, 1777 /tmp, a VOLUME): what the container
/// sees must be what docker's sees, except the host name's value (random in both) and the
/// documented crun difference (/dev/core).
/// </summary>
[Collection(DockerDaemonTests.Name)]
public sealed class RunMatchesDockerTests(DockerDaemon daemon, RunnableImage image) : IClassFixture<RunnableImage>, IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _cache = new();

    public static TheoryData<string> Runtimes => new() { "runc", "crun" };

    /// <summary>What the image's user (app) sees.</summary>
    private static readonly string[] s_userProbes =
    [
        "id", "pwd", "env | sort", "cat /etc/hostname /etc/hosts", "cat /etc/resolv.conf", "ls -la /dev", "ls -la /dev/pts /dev/shm /dev/mqueue",
        "grep Cap /proc/self/status", "ulimit -n", "ls -ld / /tmp /data /home/app /home/app/work", "cat /data/file.txt",
        "touch /tmp/t /data/d && ls -n /tmp/t /data/d", "echo; hostname",
        "ls -R /w; ls -lan /w /w/opq /w/sub; cat /w/hard /w/opq/new /w/sub/back; stat -c '%h %i' /w/keep /w/hard | uniq -c | wc -l",
    ];

    /// <summary>What root sees: capabilities, what is masked or read-only, what may be made.</summary>
    private static readonly string[] s_rootProbes =
    [
        "id; env | sort", "grep Cap /proc/self/status", "grep -E '^(NoNewPrivs|Seccomp)' /proc/self/status", "cat /proc/self/uid_map /proc/self/gid_map",
        "ls /proc/kcore /proc/keys /proc/timer_list /sys/firmware; cat /proc/keys /proc/timer_list; ls /sys/firmware",
        "touch /proc/sys/x; echo 1 > /proc/sys/kernel/hostname; touch /sys/x; mount -t tmpfs t /tmp", "mknod /tmp/n c 1 3 && cat /tmp/n && echo mknod ok",
        "mknod /tmp/sda b 8 0 && head -c 1 /tmp/sda", "ls -la /dev", "ls -R /w; ls -lan /w/sub; cat /w/sub/back",
    ];

    /// <summary>docker's output for a run, made once for both runtimes.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<ContainerOutput>> s_docker = new();

    public static TheoryData<string, string, string> Probes()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var runtime in new[] { "runc", "crun" })
        {
            foreach (var probe in s_userProbes) data.Add(runtime, "", probe);
            foreach (var probe in s_rootProbes) data.Add(runtime, "0", probe);
        }
        return data;
    }

    public async Task InitializeAsync()
    {
        if (!await daemon.HasImageAsync(image.Reference)) await daemon.RunAsync("load", "-i", image.Archive);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _cache.Dispose();

    private RunOptions Options(string runtime) => new() { Runtime = runtime, CacheDirectory = _cache.Path };

    /// <summary>The probe's output in docker and in ours, with the host name printed first (so that it can be told apart) and normalized.</summary>
    private async Task AssertSameAsync(string runtime, string[] dockerFlags, RunOptions ours, string script, string? stdin = null)
    {
        string[] command = [$"echo \"@$(hostname)@\"; {script}"];
        string[] args = ["run", "--rm", "--network", "none", .. dockerFlags, image.Reference, .. command];
        var expected = (await s_docker.GetOrAdd(string.Join('\0', args) + "\0" + stdin, _ => ContainerOutput.DockerAsync(daemon, args, stdin))).Normalized();
        var actual = (await ContainerOutput.OursAsync(image.Image, command, ours, stdin)).Normalized();
        if (runtime == "crun") actual = actual with { Stdout = WithoutCrunDevCore(actual.Stdout) };
        Assert.Equal(expected, actual);
    }

    /// <summary>crun makes /dev/core (a link to /proc/kcore) even where /proc/kcore does not exist; runc and docker do not (docs/run.md).</summary>
    private static string WithoutCrunDevCore(string output)
        => System.Text.RegularExpressions.Regex.Replace(
            string.Join('\n', output.Split('\n').Where(l => !l.EndsWith("core -> /proc/kcore", StringComparison.Ordinal))),
            @"(?m)^(drwxr-xr-x N root +root +)340 (\.\.?)$", "${1}320 $2");

    [Theory]
    [MemberData(nameof(Probes))]
    public Task A_probe_sees_what_it_sees_in_docker(string runtime, string user, string probe)
        => user.Length == 0
            ? AssertSameAsync(runtime, [], Options(runtime), probe)
            : AssertSameAsync(runtime, ["--user", user], Options(runtime) with { User = user }, probe);

    [Theory]
    [InlineData("runc", "ls -R /w; ls -lan /w /w/opq /w/sub; cat /w/hard /w/opq/new /w/sub/back")]
    [InlineData("runc", "id; ls -la /dev; grep Cap /proc/self/status; touch /tmp/t /data/d && ls -n /tmp/t /data/d")]
    [InlineData("crun", "ls -R /w; ls -lan /w /w/opq /w/sub; cat /w/hard /w/opq/new /w/sub/back")]
    public Task A_copied_root_filesystem_sees_what_docker_sees(string runtime, string probe)
        => AssertSameAsync(runtime, [], Options(runtime) with { RootFilesystem = RootFilesystemMode.Copy }, probe);

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task Without_a_command_the_entrypoint_runs_the_cmd_as_in_docker(string runtime)
    {
        var expected = await ContainerOutput.DockerAsync(daemon, ["run", "--rm", "--network", "none", image.Reference]);
        var actual = await ContainerOutput.OursAsync(image.Image, [], Options(runtime));
        Assert.Equal("hello world from app in /home/app/work\n", actual.Stdout);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("runc", 0)]
    [InlineData("runc", 1)]
    [InlineData("runc", 7)]
    [InlineData("crun", 0)]
    [InlineData("crun", 1)]
    [InlineData("crun", 7)]
    public async Task The_exit_code_and_the_two_streams_are_dockers(string runtime, int code)
    {
        string[] command = [$"echo out; echo err >&2; exit {code}"];
        var expected = await ContainerOutput.DockerAsync(daemon, ["run", "--rm", "--network", "none", image.Reference, .. command]);
        var actual = await ContainerOutput.OursAsync(image.Image, command, Options(runtime));
        Assert.Equal(new ContainerOutput(code, "out\n", "err\n"), actual);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task Standard_input_is_piped_through_with_i(string runtime)
    {
        const string input = "line one\nline two\n";
        var expected = await ContainerOutput.DockerAsync(daemon, ["run", "--rm", "-i", "--network", "none", image.Reference, "cat; echo end"], input);
        var actual = await ContainerOutput.OursAsync(image.Image, ["cat; echo end"], Options(runtime), input);
        Assert.Equal(input + "end\n", actual.Stdout);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task A_container_killed_by_a_signal_exits_128_plus_its_number(string runtime)
    {
        var name = "dl-killed-" + Guid.NewGuid().ToString("N")[..8];
        var docker = ContainerOutput.DockerAsync(daemon, ["run", "--rm", "--name", name, "--network", "none", image.Reference, "echo started; exec sleep 60"]);
        await WaitUntilAsync(async () => (await daemon.TryRunAsync("exec", name, "true")).ExitCode == 0);
        await daemon.RunAsync("kill", "--signal", "KILL", name);
        var expected = await docker;

        var signals = new ContainerSignals();
        var started = new TaskCompletionSource();
        var ours = image.Image.RunAsync(["echo started; exec sleep 60"], Options(runtime) with { Signals = signals, StandardOutput = new NotifyingStream(started) });
        await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        signals.Send(9);
        var actual = await ours;
        Assert.Equal(137, expected.ExitCode);
        Assert.Equal(expected.ExitCode, actual.ExitCode);
        Assert.Equal("started\n", actual.Output);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await condition()) await Task.Delay(100, timeout.Token);
    }

    /// <summary>Completes <paramref name="written"/> at the first write (the container has started).</summary>
    private sealed class NotifyingStream(TaskCompletionSource written) : MemoryStream
    {
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            written.TrySetResult();
            return base.WriteAsync(buffer, cancellationToken);
        }
    }
}
