using Dockerless.IntegrationTests.Cli;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Running;

/// <summary>
/// <c>dockerless run --runtime runc|crun FLAGS</c> against <c>docker run FLAGS</c>: the flags that
/// share docker's names give the container what docker's give it.
/// </summary>
[Collection(DockerDaemonTests.Name)]
public sealed class RunFlagsMatchDockerTests(DockerDaemon daemon, RunnableImage image) : IClassFixture<RunnableImage>, IAsyncLifetime, IDisposable
{
    /// <summary>docker's output for a case, made once for both runtimes.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<ContainerOutput>> s_docker = new();

    private readonly TempDirectory _directory = new();

    public async Task InitializeAsync()
    {
        if (!await daemon.HasImageAsync(image.Reference)) await daemon.RunAsync("load", "-i", image.Archive);
        Directory.CreateDirectory(_directory["host"]);
        await File.WriteAllTextAsync(_directory["host/f"], "from the host\n");
        await File.WriteAllTextAsync(_directory["env"], "# a comment\n\nFROM_FILE=a value with spaces \nGREETING=from the file\nHOME\n");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _directory.Dispose();

    public static TheoryData<string, string[], string> Cases()
    {
        var cases = new (string[] Flags, string Script)[]
        {
            (["-e", "FOO=1", "-e", "GREETING=bye", "-e", "HOME", "-e", "PATH"], "env | sort"),
            (["--env-file", "ENVFILE", "-e", "FOO=2"], "env | sort"),
            (["-u", "app:extra"], "id; echo $HOME"),
            (["-u", "1000:1000"], "id; echo $HOME"),
            (["-u", "app:2000"], "id; echo $HOME"),
            (["-u", "5555"], "id; echo $HOME; pwd"),
            (["-u", "0:extra"], "id; grep CapEff /proc/self/status"),
            (["-w", "/new/dir"], "pwd; ls -ld /new /new/dir"),
            (["--read-only"], "touch /x; touch /tmp/x; touch /data/x && echo volume writable; ls /data"),
            (["--read-only", "--tmpfs", "/run:size=1m,mode=1770"], "touch /run/x && echo tmpfs writable; ls -ld /run; grep ' /run ' /proc/self/mountinfo | sed 's/^[0-9]* [0-9]* [0-9:]* //'"),
            (["-v", "HOST:/mnt/host:ro"], "cat /mnt/host/f; touch /mnt/host/g; grep ' /mnt/host ' /proc/self/mountinfo | cut -d' ' -f5,6"),
            (["--entrypoint", "/bin/echo"], "two words"),
            (["--hostname", "myhost"], "hostname; cat /etc/hostname; env | grep HOSTNAME; cat /etc/hosts"),
            (["--network", "host"], "cat /etc/hosts /etc/resolv.conf; hostname; env | grep HOSTNAME"),
        };
        var data = new TheoryData<string, string[], string>();
        foreach (var runtime in new[] { "runc", "crun" })
        {
            foreach (var (flags, script) in cases) data.Add(runtime, flags, script);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_flag_gives_what_dockers_gives(string runtime, string[] flags, string script)
    {
        flags = [.. flags.Select(f => f.Replace("HOST:", _directory["host"] + ":", StringComparison.Ordinal).Replace("ENVFILE", _directory["env"], StringComparison.Ordinal))];
        string[] network = flags.Contains("--network") ? [] : ["--network", "none"];
        string[] args = ["run", "--rm", .. network, .. flags, image.Reference, script];
        // The temporary paths differ between the two runtimes' cases; docker's answer does not.
        var key = string.Join('\0', args).Replace(_directory.Path, "DIR", StringComparison.Ordinal);
        var expected = await s_docker.GetOrAdd(key, _ => ContainerOutput.DockerAsync(daemon, args));
        var result = await CliTool.RunAsync(["run", "--runtime", runtime, "--cache-dir", _directory["cache"], .. flags, image.Location, "--", script]);
        var actual = new ContainerOutput(result.ExitCode, result.Output, result.Error);
        Assert.Equal(Normalized(expected), Normalized(actual));
    }

    [Fact]
    public async Task Through_docker_the_flags_become_dockers_own()
    {
        string[] flags =
        [
            "--entrypoint", "/bin/sh", "-u", "app:extra", "-e", "FOO=1", "-w", "/new/dir", "--read-only", "--tmpfs", "/run",
            "-v", _directory["host"] + ":/mnt/host:ro", "--hostname", "myhost", "-i",
        ];
        string[] command = ["-c", "id; pwd; echo $FOO; hostname; cat /mnt/host/f; touch /run/x && echo tmpfs ok; touch /x; cat"];
        var expected = await ContainerOutput.DockerAsync(daemon, ["run", "--rm", "--network", "none", .. flags, image.Reference, .. command], "piped\n");
        var environment = daemon.Environment.ToDictionary(p => p.Key, p => (string?)p.Value);
        var result = await CliTool.RunAsync(["run", "--engine", "docker", .. flags, image.Location, "--", .. command], environment, stdin: "piped\n");
        Assert.Equal(expected, new ContainerOutput(result.ExitCode, result.Output, result.Error));
        Assert.Contains("uid=1000(app) gid=2000(extra)", result.Output, StringComparison.Ordinal);
    }

    /// <summary>The random host name a run gets, which differs between any two runs, docker's included.</summary>
    private static ContainerOutput Normalized(ContainerOutput output)
        => (output with { Stdout = System.Text.RegularExpressions.Regex.Replace(output.Stdout, "(?m)^HOSTNAME=[0-9a-f]{12}$", "HOSTNAME=ID") }).Normalized();
}
