using System.Runtime.CompilerServices;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Cli;

/// <summary><c>dockerless run</c> and <c>docker-daemon:</c> against a real dockerd, and podman through the library.</summary>
/// <remarks>
/// The dockerd is shared with other test classes: each test's image has an id of its own
/// (<see cref="OwnImage"/>), what a test checks is left is its own image and containers, and it
/// removes them in <c>finally</c>, whatever happened.
/// </remarks>
[Collection(DockerDaemonTests.Name)]
public class EngineTests(DockerDaemon daemon)
{
    private Dictionary<string, string?> Environment => daemon.Environment.ToDictionary(p => p.Key, p => (string?)p.Value);

    /// <summary>A busybox docker-archive of an image with an id of its own, and that id.</summary>
    private static async Task<(string Archive, string Id)> BusyboxArchiveAsync(TempDirectory dir, [CallerMemberName] string test = "")
    {
        await using var image = await BusyboxImage.BuildAsync(dir.Path, "cli-busybox", "1");
        var id = OwnImage.Label(image, test);
        var archive = dir["busybox.tar"];
        await image.WriteFileAsync(archive);
        return (archive, id);
    }

    /// <summary>The run has something to load: the daemon does not have the image yet.</summary>
    private async Task AssertNotLoadedAsync(string id) => Assert.False(await daemon.HasImageAsync(id), $"the daemon has {id} before the run");

    /// <summary>Nothing of image <paramref name="id"/> is left: no container of it, and not the image (so none of its names).</summary>
    private async Task AssertNothingLeftAsync(string id)
    {
        Assert.Empty(await daemon.ContainersOfAsync(id));
        Assert.False(await daemon.HasImageAsync(id), $"the daemon still has {id}");
    }

    [Fact]
    public async Task Run_prints_a_file_the_image_contains_and_removes_what_it_loaded()
    {
        using var dir = new TempDirectory();
        var (archive, id) = await BusyboxArchiveAsync(dir);
        try
        {
            await AssertNotLoadedAsync(id);

            var result = await CliTool.RunAsync(["run", $"docker-archive:{archive}", "--", "cat", "/data/hello.txt"], Environment);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(BusyboxImage.DataText, result.Output);

            await AssertNothingLeftAsync(id);
        }
        finally
        {
            await daemon.RemoveImageAndContainersAsync(id);
        }
    }

    [Fact]
    public async Task Run_without_a_command_runs_the_images_entrypoint_and_cmd()
    {
        using var dir = new TempDirectory();
        var (archive, _) = await BusyboxArchiveAsync(dir);
        var changed = $"docker-archive:{dir["changed.tar"]}";
        await CliTool.SucceedAsync(["mutate", $"docker-archive:{archive}", "-t", changed, "--entrypoint", "/bin/cat", "--cmd", "/data/hello.txt"]);
        var id = OwnImage.IdOf(Assert.Single(await Image.LoadAsync(dir["changed.tar"])));
        try
        {
            var result = await CliTool.RunAsync(["run", changed], Environment);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(BusyboxImage.DataText, result.Output);
        }
        finally
        {
            await daemon.RemoveImageAndContainersAsync(id);
        }
    }

    [Fact]
    public async Task Run_takes_an_image_from_a_registry()
    {
        await using var registry = await RegistryProcess.StartAsync();
        using var dir = new TempDirectory();
        var (archive, id) = await BusyboxArchiveAsync(dir);
        try
        {
            await CliTool.SucceedAsync(["push", archive, $"{registry.Host}/busybox:1"]);
            var result = await CliTool.RunAsync(["run", $"docker://{registry.Host}/busybox:1", "--", "cat", "/data/hello.txt"], Environment);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(BusyboxImage.DataText, result.Output);
        }
        finally
        {
            await daemon.RemoveImageAndContainersAsync(id);
        }
    }

    [Fact]
    public async Task Run_exits_with_the_containers_code_and_keep_keeps_the_container()
    {
        using var dir = new TempDirectory();
        var (archive, id) = await BusyboxArchiveAsync(dir);
        try
        {
            var result = await CliTool.RunAsync(["run", $"docker-archive:{archive}", "--keep", "--", "sh", "-c", "echo out; echo err >&2; exit 7"], Environment);
            Assert.Equal(7, result.ExitCode);
            Assert.Equal("out\n", result.Output);
            Assert.Equal("err\n", result.Error);
            var kept = Assert.Single(await daemon.ContainersOfAsync(id));
            Assert.Equal("exited", (await daemon.RunAsync("inspect", "--format", "{{.State.Status}}", kept)).Trim());
        }
        finally
        {
            await daemon.RemoveImageAndContainersAsync(id);
        }
    }

    [Fact]
    public async Task Ctrl_C_during_run_removes_the_container_and_the_image_it_loaded()
    {
        using var dir = new TempDirectory();
        var (archive, id) = await BusyboxArchiveAsync(dir);
        try
        {
            await AssertNotLoadedAsync(id);

            var result = await CliTool.RunAsync(["run", $"docker-archive:{archive}", "--", "busybox", "sleep", "60"], Environment, whileRunning: async process =>
            {
                await RunningContainerAsync(process, id);
                if (!process.HasExited) await SignalTests.SendAsync(process, "INT");
            });

            Assert.True(result.ExitCode == 130, result.ToString());
            Assert.Equal("dockerless: interrupted", result.Error.Trim());
            await AssertNothingLeftAsync(id);
        }
        finally
        {
            await daemon.RemoveImageAndContainersAsync(id);
        }
    }

    [Fact]
    public async Task A_second_Ctrl_C_ends_the_tool_at_once_while_it_removes_the_container()
    {
        using var dir = new TempDirectory();
        var (archive, id) = await BusyboxArchiveAsync(dir);
        try
        {
            var result = await CliTool.RunAsync(["run", $"docker-archive:{archive}", "--", "busybox", "sleep", "60"], Environment, whileRunning: async process =>
            {
                await RunningContainerAsync(process, id);
                // The first signal starts the clean-up (docker rm -f takes a while); the second lands in it.
                await SignalTests.SendAsync(process, "INT");
                await SignalTests.SendAsync(process, "INT");
            });

            // Ended by the signal itself: 128 + 2, and none of the tool's own last words.
            Assert.True(result.ExitCode == 130, result.ToString());
            Assert.DoesNotContain("dockerless:", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            // Cut short, the tool leaves its container and its name for the image.
            await daemon.RemoveImageAndContainersAsync(id);
        }
    }

    [Fact]
    public async Task Two_overlapping_runs_of_one_image_each_exit_with_their_own_code_and_leave_nothing()
    {
        using var dir = new TempDirectory();
        var (archive, id) = await BusyboxArchiveAsync(dir);
        try
        {
            await AssertNotLoadedAsync(id);
            // Each run waits for a file that the test makes in its container: the run that loaded the
            // image ends first, while the other's container still runs, then the other ends.
            string[] Waiting(string word, int code) => ["run", $"docker-archive:{archive}", "--", .. WaitingCommand($"echo {word}; exit {code}")];

            CliResult? second = null;
            var first = await CliTool.RunAsync(Waiting("first", 3), Environment, whileRunning: async loader =>
            {
                var loaderContainer = await NewContainerAsync(loader, id, []);
                second = await CliTool.RunAsync(Waiting("second", 5), Environment, whileRunning: async process =>
                {
                    var container = await NewContainerAsync(process, id, [loaderContainer]);
                    await daemon.RunAsync("exec", loaderContainer, "busybox", "touch", "/go");
                    await loader.WaitForExitAsync();
                    await daemon.RunAsync("exec", container, "busybox", "touch", "/go");
                });
            });

            Assert.True(first.ExitCode == 3, first.ToString());
            Assert.Equal("first\n", first.Output);
            Assert.NotNull(second);
            Assert.True(second.ExitCode == 5, second.ToString());
            Assert.Equal("second\n", second.Output);
            await AssertNothingLeftAsync(id);
        }
        finally
        {
            await daemon.RemoveImageAndContainersAsync(id);
        }
    }

    /// <summary>Waits until a running container of image <paramref name="id"/> other than <paramref name="known"/> shows and returns its id (the tool must not end first).</summary>
    private async Task<string> NewContainerAsync(System.Diagnostics.Process process, string id, IReadOnlyCollection<string> known)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!process.HasExited)
        {
            var found = (await RunningContainersOfAsync(id)).Except(known).FirstOrDefault();
            if (found is not null) return found;
            await Task.Delay(100, timeout.Token);
        }
        throw new InvalidOperationException($"the tool ended (exit code {process.ExitCode}) before its container was seen");
    }

    /// <summary>The running containers of image <paramref name="id"/> (none while the daemon lacks the image).</summary>
    private async Task<string[]> RunningContainersOfAsync(string id)
        => (await daemon.RunAsync("ps", "-q", "--no-trunc", "--filter", $"ancestor={id}")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Run_leaves_the_users_own_image_as_it_was_tagged_or_untagged()
    {
        using var dir = new TempDirectory();
        await using var image = await BusyboxImage.BuildAsync(dir.Path, "cli-users", "1");
        var id = OwnImage.Label(image);
        var archive = dir["users.tar"];
        await image.WriteFileAsync(archive);
        // Another image loaded under the same tag leaves the first one without any name.
        image.Config.Env.Add("VARIANT=2");
        var otherId = OwnImage.IdOf(image);
        var other = dir["other.tar"];
        await image.WriteFileAsync(other);
        try
        {
            await daemon.RunAsync("load", "-i", archive);
            Assert.Equal(id, (await daemon.RunAsync("image", "inspect", "--format", "{{.Id}}", "cli-users:1")).Trim());
            var tagged = await CliTool.RunAsync(["run", $"docker-archive:{archive}", "--", "cat", "/data/hello.txt"], Environment);
            Assert.True(tagged.ExitCode == 0, tagged.ToString());
            Assert.Equal("[\"cli-users:1\"]", (await daemon.RunAsync("image", "inspect", "--format", "{{json .RepoTags}}", id)).Trim());

            await daemon.RunAsync("load", "-i", other);
            Assert.Equal("[]", (await daemon.RunAsync("image", "inspect", "--format", "{{json .RepoTags}}", id)).Trim());
            var untagged = await CliTool.RunAsync(["run", $"docker-archive:{archive}", "--", "cat", "/data/hello.txt"], Environment);
            Assert.True(untagged.ExitCode == 0, untagged.ToString());
            Assert.Equal(BusyboxImage.DataText, untagged.Output);
            Assert.Equal("[]", (await daemon.RunAsync("image", "inspect", "--format", "{{json .RepoTags}}", id)).Trim());
            Assert.Empty(await daemon.ContainersOfAsync(id));
        }
        finally
        {
            await daemon.RemoveImageAndContainersAsync(id);
            await daemon.RemoveImageAndContainersAsync(otherId);
        }
    }

    /// <summary>Waits until a container of image <paramref name="id"/> runs (or the tool has ended).</summary>
    private async Task RunningContainerAsync(System.Diagnostics.Process process, string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!process.HasExited && (await RunningContainersOfAsync(id)).Length == 0) await Task.Delay(100, timeout.Token);
    }

    [Fact]
    public async Task Run_of_a_command_the_image_lacks_exits_with_the_engines_code()
    {
        using var dir = new TempDirectory();
        var (archive, id) = await BusyboxArchiveAsync(dir);
        try
        {
            var result = await CliTool.RunAsync(["run", $"docker-archive:{archive}", "--", "/no/such/program"], Environment);
            Assert.Equal(127, result.ExitCode);
        }
        finally
        {
            await daemon.RemoveImageAndContainersAsync(id);
        }
    }

    [Fact]
    public async Task Docker_daemon_is_written_with_docker_load_and_read_with_docker_save()
    {
        using var dir = new TempDirectory();
        var (archive, id) = await BusyboxArchiveAsync(dir);
        try
        {
            await CliTool.SucceedAsync(["copy", $"docker-archive:{archive}", "docker-daemon:cli-daemon-test:2"], Environment);
            Assert.Equal(id, (await daemon.RunAsync("image", "inspect", "--format", "{{.Id}}", "cli-daemon-test:2")).Trim());
            var output = await daemon.RunAsync("run", "--rm", "--network=none", "cli-daemon-test:2", "cat", "/data/hello.txt");
            Assert.Equal(BusyboxImage.DataText, output);

            var saved = dir["saved.tar"];
            await CliTool.SucceedAsync(["copy", "docker-daemon:cli-daemon-test:2", $"docker-archive:{saved}:back:1"], Environment);
            await Peer.RunAsync("skopeo", ["inspect", $"docker-archive:{saved}"]);
            var inspect = (await CliTool.SucceedAsync(["config", $"docker-archive:{saved}"])).Output;
            Assert.Contains("PATH=/bin", inspect, StringComparison.Ordinal);
        }
        finally
        {
            await daemon.RemoveImageAndContainersAsync(id);
        }
    }

    [Fact]
    public async Task Image_RunAsync_runs_in_podman_with_this_machines_flags()
    {
        using var dir = new TempDirectory();
        var (image, id) = await PodmanImageOfItsOwnAsync(dir);
        await using var disposing = image;
        try
        {
            var result = await image.RunAsync(["cat", "/data/hello.txt"], new RunOptions { Engine = "podman" });
            Assert.Equal(new RunResult(0, BusyboxImage.DataText), result);
            var failed = await image.RunAsync(["sh", "-c", "exit 3"], new RunOptions { Engine = "podman" });
            Assert.Equal(3, failed.ExitCode);
        }
        finally
        {
            await RemovePodmanImageAndContainersAsync(id);
        }
    }

    [Fact]
    public async Task Image_RunAsync_in_podman_overlapping_runs_of_one_image_keep_each_others_container()
    {
        using var dir = new TempDirectory();
        var (image, id) = await PodmanImageOfItsOwnAsync(dir);
        await using var disposing = image;
        var options = new RunOptions { Engine = "podman" };
        Task<RunResult> Waiting(string word, int code) => image.RunAsync(WaitingCommand($"echo {word}; exit {code}"), options);

        try
        {
            // The run that loaded the image ends while the other's container runs: before, its
            // rmi -f removed that container.
            var first = Waiting("first", 3);
            var firstContainer = await PodmanContainerOfAsync(id, [], first);
            var second = Waiting("second", 5);
            var secondContainer = await PodmanContainerOfAsync(id, [firstContainer], second);
            await ReleaseAsync(firstContainer, first);
            Assert.Equal(new RunResult(3, "first\n"), await first);
            await ReleaseAsync(secondContainer, second);
            Assert.Equal(new RunResult(5, "second\n"), await second);

            foreach (var container in new[] { firstContainer, secondContainer })
            {
                Assert.Equal("", (await Peer.RunAsync("podman", ["ps", "-aq", "--filter", $"id={container}"])).Trim());
            }
            Assert.NotEqual(0, (await Peer.TryRunAsync("podman", ["image", "inspect", id])).ExitCode);
        }
        finally
        {
            await RemovePodmanImageAndContainersAsync(id);
        }
    }

    [Fact]
    public async Task Image_RunAsync_in_podman_keeps_the_containers_code_when_its_name_cannot_be_removed()
    {
        using var dir = new TempDirectory();
        var (image, id) = await PodmanImageOfItsOwnAsync(dir);
        await using var disposing = image;
        var logger = new CapturingLogger();
        try
        {
            var run = image.RunAsync(WaitingCommand("exit 4"), new RunOptions { Engine = "podman", Logger = logger });
            var container = await PodmanContainerOfAsync(id, [], run);
            // Someone else takes the run's name away: the rmi at the end then fails.
            await Peer.RunAsync("podman", ["untag", id]);
            await Peer.RunAsync("podman", ["exec", container, "busybox", "touch", "/go"]);

            Assert.Equal(new RunResult(4, ""), await run);
            var warning = Assert.Single(logger.Lines);
            Assert.StartsWith($"could not remove the run's image name {Image.RunRepository}:", warning, StringComparison.Ordinal);
        }
        finally
        {
            await RemovePodmanImageAndContainersAsync(id);
        }
    }

    /// <summary>
    /// Lets the WaitingCommand in podman container <paramref name="container"/> go on. When the
    /// container is gone already, the failure says how its run ended, which tells a run that
    /// failed (podman's own races under load) from a container someone else removed.
    /// </summary>
    private static async Task ReleaseAsync(string container, Task<RunResult> run)
    {
        var (code, output) = await Peer.TryRunAsync("podman", ["exec", container, "busybox", "touch", "/go"]);
        if (code == 0) return;
        var outcome = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(10))) == run
            ? (run.IsCompletedSuccessfully ? $"the run returned {run.Result}" : $"the run failed: {run.Exception?.InnerException}")
            : "the run has not ended";
        throw new Xunit.Sdk.XunitException($"podman exec {container} touch /go exited {code}: {output.Trim()}; {outcome}");
    }

    /// <summary>A command that waits until the test makes /go in its container (exec busybox touch /go), then runs <paramref name="then"/>.</summary>
    private static string[] WaitingCommand(string then) => ["sh", "-c", $"until test -e /go; do busybox sleep 0.1; done; {then}"];

    /// <summary>A busybox image with a config of its own, so that no other run on this machine shares it in podman, and its id there.</summary>
    private static async Task<(Image Image, string Id)> PodmanImageOfItsOwnAsync(TempDirectory dir)
    {
        Peer.Require("podman");
        var image = await BusyboxImage.BuildAsync(dir.Path, "cli-podman", "1");
        image.Config.Env.Add($"TEST_RUN={Guid.NewGuid():N}");
        return (image, Digest.Compute(image.GetConfigBytes()).Encoded);
    }

    /// <summary>A test's clean-up in podman: removes the containers of image <paramref name="id"/> (of the test's own), then the image; failures are ignored.</summary>
    private static async Task RemovePodmanImageAndContainersAsync(string id)
    {
        var (_, containers) = await Peer.TryRunAsync("podman", ["ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.ImageID}}"]);
        foreach (var fields in containers.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')))
        {
            if (fields.Length == 2 && fields[1].EndsWith(id, StringComparison.Ordinal)) await Peer.TryRunAsync("podman", ["rm", "-f", fields[0]]);
        }
        await Peer.TryRunAsync("podman", ["rmi", "-f", id]);
    }

    /// <summary>Waits until a podman container of image <paramref name="id"/> other than <paramref name="known"/> runs and returns its id.</summary>
    private static async Task<string> PodmanContainerOfAsync(string id, IReadOnlyCollection<string> known, Task run)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!run.IsCompleted)
        {
            foreach (var line in (await Peer.RunAsync("podman", ["ps", "--no-trunc", "--format", "{{.ID}} {{.ImageID}}"])).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var fields = line.Split(' ');
                if (fields.Length == 2 && fields[1].EndsWith(id, StringComparison.Ordinal) && !known.Contains(fields[0])) return fields[0];
            }
            await Task.Delay(100, timeout.Token);
        }
        await run;
        throw new InvalidOperationException("the run ended before its container was seen");
    }
}
