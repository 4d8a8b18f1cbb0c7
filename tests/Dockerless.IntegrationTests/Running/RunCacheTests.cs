using Dockerless.IntegrationTests.Cli;
using Dockerless.IntegrationTests.Fixtures;
using Dockerless.Running;

namespace Dockerless.IntegrationTests.Running;

/// <summary>
/// The cache of unpacked layers a run mounts its root filesystem from (docs/run.md#the-layer-cache):
/// a second run unpacks nothing, concurrent first runs unpack each layer once, a damaged entry is
/// unpacked again, each way of making the root (an overlay as root, fuse-overlayfs as an
/// unprivileged user, a copy) gives the tree <c>unpack</c> gives, and a caller's writes land in
/// the overlay's upper directory, never in the cache.
/// </summary>
public sealed class RunCacheTests(RunnableImage image) : IClassFixture<RunnableImage>, IDisposable
{
    private const string Unpacked = "into the run cache";
    /// <summary>The container's root mount: its mount point (the fifth field) is <c>/</c>.</summary>
    private const string RootMount = "grep -E '^[0-9]+ [0-9]+ [^ ]+ [^ ]+ / ' /proc/self/mountinfo";

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static RunOptions Options(string cache, CapturingLogger? logger = null)
        => new() { Runtime = "runc", CacheDirectory = cache, Logger = logger };

    private static int UnpackCount(IEnumerable<string> lines) => lines.Count(l => l.Contains(Unpacked, StringComparison.Ordinal));

    private static string LayerTree(string cache, string layerDiffId) => Path.Combine(cache, "layers", "overlay", "sha256", layerDiffId, "tree");

    [Fact]
    public async Task A_second_run_unpacks_nothing()
    {
        var cache = _directory["second"];
        var first = new CapturingLogger();
        var firstOutput = await ContainerOutput.OursAsync(image.Image, ["cat /w/added /data/file.txt"], Options(cache, first));
        Assert.Equal(image.Image.Layers.Count, UnpackCount(first.Lines));
        var top = LayerTree(cache, image.Image.Layers[^1].DiffId.Encoded);
        var inode = (await Peer.RunAsync("stat", ["-c", "%i %Y", top])).Trim();

        var second = new CapturingLogger();
        var secondOutput = await ContainerOutput.OursAsync(image.Image, ["cat /w/added /data/file.txt"], Options(cache, second));
        Assert.Equal(0, UnpackCount(second.Lines));
        Assert.Equal(inode, (await Peer.RunAsync("stat", ["-c", "%i %Y", top])).Trim());
        Assert.Equal(new ContainerOutput(0, "added\n" + RunnableImage.DataText, ""), firstOutput);
        Assert.Equal(firstOutput, secondOutput);
    }

    [Fact]
    public async Task Concurrent_first_runs_unpack_each_layer_once()
    {
        var cache = _directory["concurrent"];
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            CliTool.RunAsync(["-v", "run", "--runtime", "runc", "--cache-dir", cache, image.Location, "--", "cat /w/added"])));
        Assert.All(runs, r => Assert.True(r.ExitCode == 0 && r.Output == "added\n", r.ToString()));
        Assert.Equal(image.Image.Layers.Count, UnpackCount(runs.SelectMany(r => r.Error.Split('\n'))));
        // Only whole entries and their locks are left: no temporaries.
        var layers = Path.Combine(cache, "layers", "overlay", "sha256");
        Assert.Equal(image.Image.Layers.Select(l => l.DiffId.Encoded).SelectMany(d => new[] { d, d + ".lock" }).Order(StringComparer.Ordinal),
            Directory.EnumerateFileSystemEntries(layers).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_damaged_entry_is_unpacked_again()
    {
        var cache = _directory["damaged"];
        await ContainerOutput.OursAsync(image.Image, ["true"], Options(cache));
        // The layer that adds /w/added loses it; another's file is cut short; a killed build left a temporary.
        var changes = image.Image.Layers[1].DiffId.Encoded;
        File.Delete(Path.Combine(LayerTree(cache, changes), "w", "added"));
        await using (var stream = File.OpenWrite(Path.Combine(LayerTree(cache, image.Image.Layers[0].DiffId.Encoded), "bin", "busybox")))
        {
            stream.SetLength(100);
        }
        var leftover = Directory.CreateDirectory(LayerTree(cache, changes).Replace("/tree", ".tmp-0badc0de/tree", StringComparison.Ordinal)).Parent!.FullName;

        var logger = new CapturingLogger();
        var output = await ContainerOutput.OursAsync(image.Image, ["cat /w/added; /bin/busybox true && echo runs"], Options(cache, logger));
        Assert.Equal(new ContainerOutput(0, "added\nruns\n", ""), output);
        Assert.Equal(2, logger.Lines.Count(l => l.Contains("is damaged", StringComparison.Ordinal)));
        Assert.Equal(2, UnpackCount(logger.Lines));
        Assert.False(Directory.Exists(leftover));
    }

    [Theory]
    [InlineData(RootFilesystemMode.Auto, true)]
    [InlineData(RootFilesystemMode.Overlay, true)]
    [InlineData(RootFilesystemMode.Copy, false)]
    public async Task As_root_the_layers_are_an_overlay_or_a_copy(RootFilesystemMode mode, bool overlaid)
    {
        var cache = _directory["mode-" + mode];
        var output = await ContainerOutput.OursAsync(image.Image, [RootMount], Options(cache) with { RootFilesystem = mode });
        Assert.Equal(0, output.ExitCode);
        var overlay = $"lowerdir={cache}/run/";
        if (overlaid) Assert.Contains(overlay, output.Stdout, StringComparison.Ordinal);
        else Assert.DoesNotContain(overlay, output.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("auto", "0", "fuse.fuse-overlayfs")]
    [InlineData("copy", "0", "")]
    [InlineData("auto", "app", "")]
    public async Task An_unprivileged_user_gets_fuse_overlayfs_as_root_inside_else_a_copy(string mode, string user, string type)
    {
        Peer.Require("fuse-overlayfs");
        await UnprivilegedUser.EnsureSubordinateIdsAsync();
        var home = await UnprivilegedUser.OwnedDirectoryAsync(_directory.Path, "home-" + mode + user);
        var environment = new Dictionary<string, string?> { ["HOME"] = home, ["DOTNET_CLI_HOME"] = home, ["TMPDIR"] = home };
        var launcher = await UnprivilegedUser.LauncherAsync();
        var runs = new List<CliResult>();
        for (var i = 0; i < 2; i++)
        {
            runs.Add(await CliTool.RunAsync(["-v", "run", "--runtime", "runc", "--rootfs", mode, "-u", user, image.Location, "--", $"{RootMount}; cat /w/added"], environment, null, home, null, launcher));
        }
        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.All(runs, r => Assert.EndsWith("added\n", r.Output, StringComparison.Ordinal));
        var fields = runs[0].Output.Split('\n')[0].Split(" - ")[1].Split(' ');
        if (type.Length > 0) Assert.Equal(type, fields[0]);
        else Assert.DoesNotContain("fuse", fields[0], StringComparison.Ordinal);
        Assert.NotEqual(0, UnpackCount(runs[0].Error.Split('\n')));
        Assert.Equal(0, UnpackCount(runs[1].Error.Split('\n')));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(home, ".cache", "dockerless", "run")));
    }

    [Theory]
    [InlineData(RootFilesystemMode.Overlay)]
    [InlineData(RootFilesystemMode.Copy)]
    public async Task The_root_filesystem_is_the_tree_unpack_makes(RootFilesystemMode mode)
    {
        var unpacked = _directory["unpacked-" + mode];
        await image.Image.UnpackAsync(unpacked);
        var expected = await TreeSnapshot.TakeAsync(unpacked, TreeDetail.AllTimes | TreeDetail.Xattrs);
        await using var root = await image.Image.MountRootFilesystemAsync(Options(_directory["tree-" + mode]) with { RootFilesystem = mode });
        Assert.Equal(mode, root.Mode);
        var actual = await TreeSnapshot.TakeAsync(root.Path, TreeDetail.AllTimes | TreeDetail.Xattrs);
        Assert.Empty(TreeSnapshot.Differences(expected, actual, "unpack", $"run cache ({mode})"));
    }

    [Fact]
    public async Task A_callers_writes_land_in_the_changes_directory_not_in_the_cache()
    {
        var cache = _directory["changes"];
        var options = Options(cache) with { User = "0" };
        await using var root = await image.Image.MountRootFilesystemAsync(options);
        Assert.Equal(RootFilesystemMode.Overlay, root.Mode);
        var result = await OciRuntime.Find("runc").RunAsync(root.Path, image.Image.Config, ["echo new > /w/new; rm /w/added; rm -r /w/opq; mkdir /w/opq; echo x > /w/keep"], options);
        Assert.Equal(0, result.ExitCode);

        var changes = root.ChangesDirectory!;
        Assert.Equal("new\n", await File.ReadAllTextAsync(Path.Combine(changes, "w", "new")));
        Assert.Equal("x\n", await File.ReadAllTextAsync(Path.Combine(changes, "w", "keep")));
        var tree = await TreeSnapshot.TakeAsync(changes, TreeDetail.Xattrs);
        Assert.Equal("c", tree["w/added"].Type);
        Assert.Equal("0:0", (await Peer.RunAsync("stat", ["-c", "%t:%T", Path.Combine(changes, "w", "added")])).Trim());
        Assert.Contains("trusted.overlay.opaque=79", tree["w/opq"].Xattrs, StringComparison.Ordinal);
        // The cached layers are as they were.
        Assert.Equal("added\n", await File.ReadAllTextAsync(Path.Combine(LayerTree(cache, image.Image.Layers[1].DiffId.Encoded), "w", "added")));
        Assert.Equal("keep\n", await File.ReadAllTextAsync(Path.Combine(LayerTree(cache, image.Image.Layers[0].DiffId.Encoded), "w", "keep")));
    }

    [Fact]
    public async Task Clearing_the_cache_waits_for_mounted_roots_then_unpacks_again()
    {
        var cache = _directory["clear"];
        var root = await image.Image.MountRootFilesystemAsync(Options(cache));
        await using (root)
        {
            var refused = await Assert.ThrowsAsync<IOException>(() => RunCacheDirectory.ClearAsync(cache));
            Assert.Contains(root.Path, refused.Message, StringComparison.Ordinal);
        }
        var cleared = await CliTool.RunAsync("clear-cache", "--cache-dir", cache);
        Assert.True(cleared.ExitCode == 0, cleared.ToString());
        Assert.Equal(image.Image.Layers.Count, cleared.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(cache, "layers", "overlay", "sha256")));

        var logger = new CapturingLogger();
        await ContainerOutput.OursAsync(image.Image, ["true"], Options(cache, logger));
        Assert.Equal(image.Image.Layers.Count, UnpackCount(logger.Lines));
    }
}
