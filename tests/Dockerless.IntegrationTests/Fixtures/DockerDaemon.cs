using System.Diagnostics;

namespace Dockerless.IntegrationTests.Fixtures;

/// <summary>
/// A private dockerd for the tests: its own data-root, exec-root and socket under a temporary
/// directory, no bridge, no iptables. One serves every test of the <see cref="DockerDaemonTests"/>;
/// it is killed (by its own pid) and its mounts and files are removed at the end.
/// </summary>
public sealed class DockerDaemon : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "dl-dockerd-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? _process;

    private string Socket => Path.Combine(_root, "docker.sock");

    /// <summary>The environment the docker CLI needs to talk to this daemon.</summary>
    public IDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["DOCKER_HOST"] = $"unix://{Socket}",
        ["DOCKER_CONFIG"] = Path.Combine(_root, "cfg"),
    };

    public async Task InitializeAsync()
    {
        var dockerd = Peer.Require("dockerd");
        Peer.Require("docker");
        Directory.CreateDirectory(Path.Combine(_root, "cfg"));
        var psi = new ProcessStartInfo(dockerd)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--iptables=false", "--ip6tables=false", "--ip-forward=false", "--ip-masq=false", "--bridge=none",
            "--storage-driver=overlay2", "--data-root", Path.Combine(_root, "data"), "--exec-root", Path.Combine(_root, "exec"),
            "--pidfile", Path.Combine(_root, "dockerd.pid"), "-H", $"unix://{Socket}",
        })
        {
            psi.ArgumentList.Add(arg);
        }
        _process = Process.Start(psi)!;
        var log = new System.Text.StringBuilder();
        _process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (_process.HasExited) break;
            if (File.Exists(Socket) && (await Peer.TryRunAsync("docker", ["version"], Environment)).ExitCode == 0) return;
            await Task.Delay(100);
        }
        string text;
        lock (log) text = log.ToString();
        await DisposeAsync();
        throw new InvalidOperationException($"dockerd did not come up:\n{text}");
    }

    /// <summary>Runs the docker CLI against this daemon; throws with its output on failure.</summary>
    public Task<string> RunAsync(params string[] args) => Peer.RunAsync("docker", args, Environment);

    /// <summary>Runs the docker CLI against this daemon and returns exit code and output.</summary>
    public Task<(int ExitCode, string Output)> TryRunAsync(params string[] args) => Peer.TryRunAsync("docker", args, Environment);

    /// <summary>Whether the daemon has an image of that id or name.</summary>
    public async Task<bool> HasImageAsync(string reference) => (await TryRunAsync("image", "inspect", reference)).ExitCode == 0;

    /// <summary>The ids of the containers, running or not, made from image <paramref name="imageId"/> (none when the daemon lacks the image).</summary>
    public async Task<IReadOnlyList<string>> ContainersOfAsync(string imageId)
        => (await RunAsync("ps", "-aq", "--no-trunc", "--filter", $"ancestor={imageId}")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// A test's clean-up: removes the containers made from <paramref name="imageId"/>, then the
    /// image with every name it has. Only for an image of the test's own (<see cref="OwnImage"/>);
    /// failures are ignored, so that it can run in <c>finally</c> without hiding the test's own.
    /// </summary>
    public async Task RemoveImageAndContainersAsync(string imageId)
    {
        var (_, containers) = await TryRunAsync("ps", "-aq", "--no-trunc", "--filter", $"ancestor={imageId}");
        foreach (var container in containers.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (container.All(char.IsAsciiHexDigit)) await TryRunAsync("rm", "-f", container);
        }
        await TryRunAsync("rmi", "-f", imageId);
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            // SIGTERM lets dockerd stop its own containerd and unmount; SIGKILL only if it hangs.
            await Peer.TryRunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try { await _process.WaitForExitAsync(wait.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        _process?.Dispose();
        var netns = Path.Combine(_root, "exec", "netns", "default");
        if (File.Exists(netns)) await Peer.TryRunAsync("umount", [netns]);
        // Whatever dockerd left mounted under its roots (overlay layers, shm) must go before the files.
        var mounts = (await File.ReadAllLinesAsync("/proc/self/mounts"))
            .Select(l => l.Split(' ')[1])
            .Where(m => m.StartsWith(_root + "/", StringComparison.Ordinal))
            .OrderByDescending(m => m.Length);
        foreach (var mount in mounts) await Peer.TryRunAsync("umount", ["-l", mount]);
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>The tests that share one <see cref="DockerDaemon"/>.</summary>
[CollectionDefinition(Name)]
public sealed class DockerDaemonTests : ICollectionFixture<DockerDaemon>
{
    public const string Name = "dockerd";
}
