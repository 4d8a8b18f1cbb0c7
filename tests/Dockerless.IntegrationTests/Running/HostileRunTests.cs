using System.Formats.Tar;
using Dockerless.IntegrationTests.Fixtures;
using Dockerless.Running;
using Dockerless.Tests.Hostile;

namespace Dockerless.IntegrationTests.Running;

/// <summary>
/// Hostile images given to <c>run</c>, whose layers are unpacked one by one into the cache (whiteouts
/// kept for the overlay) or merged for a copy: symlinks a lower layer plants (absolute, climbing)
/// and the files, whiteouts, opaque markers and hard links a later layer sends through them, and
/// an image whose VOLUME, WORKDIR and /etc/hosts are such symlinks, never write, link or delete
/// anything outside the cache and the bundle, before or after the container runs.
/// (docs/unpack.md#safety; the unpack tests in Dockerless.Tests/Hostile cover each hostile tar.)
/// </summary>
public sealed class HostileRunTests(RunnableImage image) : IClassFixture<RunnableImage>, IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    public static TheoryData<RootFilesystemMode> Modes => new() { RootFilesystemMode.Overlay, RootFilesystemMode.Copy };

    private string Outside()
    {
        var outside = Directory.CreateDirectory(_directory["outside"]).FullName;
        File.WriteAllText(Path.Combine(outside, "victim"), "victim");
        return outside;
    }

    private void AssertOutsideUntouched(string outside)
    {
        Assert.Equal(["victim"], Directory.EnumerateFileSystemEntries(outside).Select(Path.GetFileName));
        Assert.Equal("victim", File.ReadAllText(Path.Combine(outside, "victim")));
        Assert.Equal(1u, Dockerless.Layers.HostFileInfo.Read(Path.Combine(outside, "victim")).LinkCount);
        Assert.Equal(["cache", "outside"], Directory.EnumerateFileSystemEntries(_directory.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.False(File.Exists("/tmp/evil"));
    }

    /// <summary>The busybox layer of <see cref="RunnableImage"/> under <paramref name="layers"/>, run as root.</summary>
    private Image Over(params Layer[] layers)
    {
        var hostile = Image.Scratch("hostile");
        hostile.AddLayer(image.Image.Layers[0]);
        foreach (var layer in layers) hostile.AddLayer(layer);
        hostile.Config.Entrypoint = ["/bin/sh", "-c"];
        hostile.Config.Env.Add("PATH=/bin");
        return hostile;
    }

    private RunOptions Options(RootFilesystemMode mode) => new() { Runtime = "runc", User = "0", CacheDirectory = _directory["cache"], RootFilesystem = mode };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Writes_whiteouts_and_links_through_planted_symlinks_stay_inside(RootFilesystemMode mode)
    {
        var outside = Outside();
        var climbing = string.Concat(Enumerable.Repeat("../", 12)) + outside.TrimStart('/');
        await using var hostile = Over(
            RawTarLayer.Of(
                RawTarLayer.Link(TarEntryType.SymbolicLink, "escape", outside),
                RawTarLayer.Link(TarEntryType.SymbolicLink, "climb", climbing),
                RawTarLayer.Link(TarEntryType.SymbolicLink, "up", "../../..")),
            RawTarLayer.Of(
                RawTarLayer.File("escape/pwned", "x"), RawTarLayer.File("climb/pwned2", "x"), RawTarLayer.File("up/pwned3", "x"),
                RawTarLayer.File("escape/.wh.victim", ""), RawTarLayer.File("climb/.wh..wh..opq", ""),
                RawTarLayer.Link(TarEntryType.SymbolicLink, "escape/victim2", "/etc/shadow")));

        var output = await ContainerOutput.OursAsync(hostile, ["cat /escape/pwned /climb/pwned2; echo y > /escape/from-container; echo y > /climb/from-container"], Options(mode));

        Assert.Equal(new ContainerOutput(0, "xx", ""), output);
        AssertOutsideUntouched(outside);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_hard_link_through_a_planted_symlink_is_refused(RootFilesystemMode mode)
    {
        var outside = Outside();
        await using var hostile = Over(
            RawTarLayer.Of(RawTarLayer.Link(TarEntryType.SymbolicLink, "escape", outside)),
            RawTarLayer.Of(RawTarLayer.Link(TarEntryType.HardLink, "stolen", "escape/victim")));

        var error = await Assert.ThrowsAsync<InvalidLayerException>(() => ContainerOutput.OursAsync(hostile, ["true"], Options(mode)));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        AssertOutsideUntouched(outside);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_directory["cache"], "run")));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Climbing_and_absolute_entries_are_refused_or_kept_inside(RootFilesystemMode mode)
    {
        var outside = Outside();
        await using var climbing = Over(new RawTarLayer(RawTar.Archive(RawTar.File("../evil", [1]))));
        await Assert.ThrowsAsync<UnsafeTarEntryException>(() => ContainerOutput.OursAsync(climbing, ["true"], Options(mode)));

        await using var absolute = Over(new RawTarLayer(RawTar.Archive(RawTar.File("/tmp/evil", [1]))));
        var output = await ContainerOutput.OursAsync(absolute, ["wc -c < /tmp/evil"], Options(mode));
        Assert.Equal(new ContainerOutput(0, "1\n", ""), output);
        AssertOutsideUntouched(outside);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_volume_workdir_and_etc_files_that_are_symlinks_out_stay_inside(RootFilesystemMode mode)
    {
        var outside = Outside();
        await using var hostile = Over(RawTarLayer.Of(
            RawTarLayer.Link(TarEntryType.SymbolicLink, "vol", outside),
            RawTarLayer.Link(TarEntryType.SymbolicLink, "wd", string.Concat(Enumerable.Repeat("../", 12)) + outside.TrimStart('/')),
            RawTarLayer.Link(TarEntryType.SymbolicLink, "etc/hosts", Path.Combine(outside, "victim")),
            RawTarLayer.Link(TarEntryType.SymbolicLink, "etc/resolv.conf", "../../../../../../.." + Path.Combine(outside, "victim"))));
        hostile.Config.Volumes.Add("/vol");
        hostile.Config.WorkingDir = "/wd";

        var output = await ContainerOutput.OursAsync(hostile, ["echo y > /vol/evil && echo y > evil && echo y >> /etc/hosts && echo y >> /etc/resolv.conf && echo done"], Options(mode));

        Assert.Equal(new ContainerOutput(0, "done\n", ""), output);
        AssertOutsideUntouched(outside);
    }
}
