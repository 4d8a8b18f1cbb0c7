using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Cli;

/// <summary><c>dockerless run</c> and <c>docker-daemon:</c> against a real dockerd, and podman through the library.</summary>
[Collection(DockerDaemonTests.Name)]
public class EngineTests(DockerDaemon daemon)
{
    private Dictionary<string, string?> Environment => daemon.Environment.ToDictionary(p => p.Key, p => (string?)p.Value);

    /// <summary>The engine's image ids, sorted (images made at the same time list in any order).</summary>
    private async Task<List<string>> ImageIdsAsync() =>
        [.. (await daemon.RunAsync("images", "-aq", "--no-trunc")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct().Order(StringComparer.Ordinal)];

    private static async Task<string> BusyboxArchiveAsync(TempDirectory dir)
    {
        await using var image = await BusyboxImage.BuildAsync(dir.Path, "cli-busybox", "1");
        var archive = dir["busybox.tar"];
        await image.WriteFileAsync(archive);
        return archive;
    }

    [Fact]
    public async Task Run_prints_a_file_the_image_contains_and_removes_what_it_loaded()
    {
        using var dir = new TempDirectory();
        var archive = await BusyboxArchiveAsync(dir);
        var before = await ImageIdsAsync();

        var result = await CliTool.RunAsync(["run", $"docker-archive:{archive}", "--", "cat", "/data/hello.txt"], Environment);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(BusyboxImage.DataText, result.Output);

        Assert.Equal(before, await ImageIdsAsync());
        Assert.Equal("", (await daemon.RunAsync("ps", "-aq")).Trim());
    }

    [Fact]
    public async Task Run_without_a_command_runs_the_images_entrypoint_and_cmd()
    {
        using var dir = new TempDirectory();
        var archive = await BusyboxArchiveAsync(dir);
        var changed = $"docker-archive:{dir["changed.tar"]}";
        await CliTool.SucceedAsync(["mutate", $"docker-archive:{archive}", "-t", changed, "--entrypoint", "/bin/cat", "--cmd", "/data/hello.txt"]);
        var result = await CliTool.RunAsync(["run", changed], Environment);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(BusyboxImage.DataText, result.Output);
    }

    [Fact]
    public async Task Run_takes_an_image_from_a_registry()
    {
        await using var registry = await RegistryProcess.StartAsync();
        using var dir = new TempDirectory();
        var archive = await BusyboxArchiveAsync(dir);
        await CliTool.SucceedAsync(["push", archive, $"{registry.Host}/busybox:1"]);
        var result = await CliTool.RunAsync(["run", $"docker://{registry.Host}/busybox:1", "--", "cat", "/data/hello.txt"], Environment);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(BusyboxImage.DataText, result.Output);
    }

    [Fact]
    public async Task Run_exits_with_the_containers_code_and_keep_keeps_the_container()
    {
        using var dir = new TempDirectory();
        var archive = await BusyboxArchiveAsync(dir);
        var result = await CliTool.RunAsync(["run", $"docker-archive:{archive}", "--keep", "--", "sh", "-c", "echo out; echo err >&2; exit 7"], Environment);
        Assert.Equal(7, result.ExitCode);
        Assert.Equal("out\n", result.Output);
        Assert.Equal("err\n", result.Error);
        var kept = (await daemon.RunAsync("ps", "-aq")).Trim();
        Assert.NotEqual("", kept);
        var image = (await daemon.RunAsync("inspect", "--format", "{{.Image}}", kept)).Trim();
        await daemon.RunAsync("rm", "-f", kept);
        await daemon.RunAsync("rmi", "-f", image);
    }

    [Fact]
    public async Task Ctrl_C_during_run_removes_the_container_and_the_image_it_loaded()
    {
        using var dir = new TempDirectory();
        var archive = await BusyboxArchiveAsync(dir);
        var before = await ImageIdsAsync();

        var result = await CliTool.RunAsync(["run", $"docker-archive:{archive}", "--", "busybox", "sleep", "60"], Environment, whileRunning: async process =>
        {
            await RunningContainerAsync(process);
            if (!process.HasExited) await SignalTests.SendAsync(process, "INT");
        });

        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.Equal("dockerless: interrupted", result.Error.Trim());
        Assert.Equal("", (await daemon.RunAsync("ps", "-aq")).Trim());
        Assert.Equal(before, await ImageIdsAsync());
    }

    [Fact]
    public async Task A_second_Ctrl_C_ends_the_tool_at_once_while_it_removes_the_container()
    {
        using var dir = new TempDirectory();
        var archive = await BusyboxArchiveAsync(dir);
        var before = await ImageIdsAsync();

        var result = await CliTool.RunAsync(["run", $"docker-archive:{archive}", "--", "busybox", "sleep", "60"], Environment, whileRunning: async process =>
        {
            await RunningContainerAsync(process);
            // The first signal starts the clean-up (docker rm -f takes a while); the second lands in it.
            await SignalTests.SendAsync(process, "INT");
            await SignalTests.SendAsync(process, "INT");
        });

        // Ended by the signal itself: 128 + 2, and none of the tool's own last words.
        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.DoesNotContain("dockerless:", result.Error, StringComparison.Ordinal);
        foreach (var container in (await daemon.RunAsync("ps", "-aq")).Split('\n', StringSplitOptions.RemoveEmptyEntries)) await daemon.TryRunAsync("rm", "-f", container);
        foreach (var image in (await ImageIdsAsync()).Except(before)) await daemon.TryRunAsync("rmi", "-f", image);
    }

    /// <summary>Waits until the tool's container runs (or the tool has ended).</summary>
    private async Task RunningContainerAsync(System.Diagnostics.Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!process.HasExited && (await daemon.RunAsync("ps", "-q")).Trim() == "") await Task.Delay(100, timeout.Token);
    }

    [Fact]
    public async Task Run_of_a_command_the_image_lacks_exits_with_the_engines_code()
    {
        using var dir = new TempDirectory();
        var archive = await BusyboxArchiveAsync(dir);
        var result = await CliTool.RunAsync(["run", $"docker-archive:{archive}", "--", "/no/such/program"], Environment);
        Assert.Equal(127, result.ExitCode);
    }

    [Fact]
    public async Task Docker_daemon_is_written_with_docker_load_and_read_with_docker_save()
    {
        using var dir = new TempDirectory();
        var archive = await BusyboxArchiveAsync(dir);
        await CliTool.SucceedAsync(["copy", $"docker-archive:{archive}", "docker-daemon:cli-daemon-test:2"], Environment);
        var output = await daemon.RunAsync("run", "--rm", "--network=none", "cli-daemon-test:2", "cat", "/data/hello.txt");
        Assert.Equal(BusyboxImage.DataText, output);

        var saved = dir["saved.tar"];
        await CliTool.SucceedAsync(["copy", "docker-daemon:cli-daemon-test:2", $"docker-archive:{saved}:back:1"], Environment);
        await Peer.RunAsync("skopeo", ["inspect", $"docker-archive:{saved}"]);
        var inspect = (await CliTool.SucceedAsync(["config", $"docker-archive:{saved}"])).Output;
        Assert.Contains("PATH=/bin", inspect, StringComparison.Ordinal);
        await daemon.RunAsync("rmi", "cli-daemon-test:2");
    }

    [Fact]
    public async Task Image_RunAsync_runs_in_podman_with_this_machines_flags()
    {
        Peer.Require("podman");
        using var dir = new TempDirectory();
        await using var image = await BusyboxImage.BuildAsync(dir.Path, "cli-podman", "1");
        var result = await image.RunAsync(["cat", "/data/hello.txt"], new RunOptions { Engine = "podman" });
        Assert.Equal(new RunResult(0, BusyboxImage.DataText), result);
        var failed = await image.RunAsync(["sh", "-c", "exit 3"], new RunOptions { Engine = "podman" });
        Assert.Equal(3, failed.ExitCode);
    }
}
