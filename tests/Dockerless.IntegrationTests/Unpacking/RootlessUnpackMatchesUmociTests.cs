using System.Formats.Tar;
using Dockerless.IntegrationTests.Cli;
using Dockerless.IntegrationTests.Fixtures;
using Dockerless.IntegrationTests.Layers;
using Dockerless.Tests.Hostile;

namespace Dockerless.IntegrationTests.Unpacking;

/// <summary>
/// Rootless unpack, differential: <c>dockerless unpack</c> and <c>umoci unpack --rootless</c>,
/// both run as the same unprivileged user, on every crafted image of <see cref="UmociUnpackTests"/>
/// (inherited) and on more that only rootless shows (owners kept in user.rootlesscontainers,
/// attributes only root may set, device nodes, a busybox image). The trees must be equal path by
/// path, owners and extended attributes included, except device nodes: umoci writes an empty
/// file in their place, we skip them and say so (docs/unpack.md).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RootlessUnpackMatchesUmociTests : UmociUnpackTests
{
    private const TreeDetail Detail = TreeDetail.AllTimes | TreeDetail.Xattrs;
    private int _unpacks;

    protected override async Task AssertSameAsUmociAsync(params TarEntry[][] layers)
    {
        await using var image = Image.Scratch("dockerless-test/rootless", "v1");
        foreach (var entries in layers) image.AddLayer(RawTarLayer.Of(entries));
        await AssertSameTreeAsync(image);
    }

    [Fact]
    public async Task Owners_go_to_user_rootlesscontainers_and_root_only_attributes_are_skipped_and_said()
    {
        byte[] capability = [0x01, 0x00, 0x00, 0x02, 0x80, 0x20, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        await using var image = Image.Scratch("dockerless-test/rootless", "v1");
        image.AddLayer(new RawTarLayer(RawTar.Archive(
            RawTar.Header("bin/", '5'),
            UnpackMatchesUmociTests.Pax(("SCHILY.xattr.security.capability", capability), ("SCHILY.xattr.user.kept", "k"u8.ToArray()), ("uid", "1000"u8.ToArray()), ("gid", "50"u8.ToArray())),
            RawTar.File("bin/ping", [1, 2, 3]))));

        var output = await AssertSameTreeAsync(image);

        Assert.Contains("skipped 1 extended attribute (security.capability on bin/ping) (rootless", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Device_nodes_are_skipped_and_said_where_umoci_writes_empty_files()
    {
        await using var image = Image.Scratch("dockerless-test/rootless", "v1");
        image.AddLayer(RawTarLayer.Of(
            Dir("dev"), new PaxTarEntry(TarEntryType.CharacterDevice, "dev/null") { DeviceMajor = 1, DeviceMinor = 3, Mode = (UnixFileMode)0x1B6, ModificationTime = NextTime() },
            new PaxTarEntry(TarEntryType.Fifo, "dev/pipe") { Mode = (UnixFileMode)0x180, ModificationTime = NextTime() }));

        var output = await AssertSameTreeAsync(image, umocisPlaceholders: ["dev/null"]);

        Assert.Contains("unpack: skipped 1 device node (dev/null) (rootless: run as root to write them)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_real_busybox_image_gives_umocis_rootless_tree()
    {
        var image = await BusyboxImage.BuildAsync(Temp.Path);
        await using (image) await AssertSameTreeAsync(image);
    }

    /// <summary>
    /// Runs umoci --rootless and our CLI as the unprivileged user on <paramref name="image"/> and
    /// asserts the trees are equal, but for the device nodes umoci replaced by empty files; gives our output.
    /// </summary>
    private async Task<string> AssertSameTreeAsync(Image image, string[]? umocisPlaceholders = null)
    {
        var work = await UnprivilegedUser.OwnedDirectoryAsync(Temp.Path, $"work-{++_unpacks}");
        var layout = Path.Combine(work, "layout");
        await image.WriteOciLayoutAsync(layout);
        var umoci = await UnprivilegedUser.RunAsync("umoci", ["unpack", "--rootless", "--image", $"{layout}:{image.Tag}", Path.Combine(work, "bundle")], work);
        Assert.True(umoci.ExitCode == 0, umoci.Output);
        var ours = await UnprivilegedUser.RunAsync(CliTool.DotnetPath, [CliTool.DllPath, "unpack", $"oci:{layout}:{image.Tag}", Path.Combine(work, "rootfs")], work);
        Assert.True(ours.ExitCode == 0, ours.Output);

        var theirs = await TreeSnapshot.TakeAsync(Path.Combine(work, "bundle", "rootfs"), Detail);
        foreach (var placeholder in umocisPlaceholders ?? [])
        {
            Assert.Equal("f", theirs[placeholder].Type);
            theirs.Remove(placeholder);
        }
        var mine = TreeSnapshot.KeepingUmocisClockTimes(theirs, await TreeSnapshot.TakeAsync(Path.Combine(work, "rootfs"), Detail));
        var differences = TreeSnapshot.Differences(theirs, mine, "umoci unpack --rootless", "dockerless unpack (rootless)");
        Assert.True(differences.Count == 0, string.Join('\n', differences));
        var (uid, _) = await UnprivilegedUser.EnsureAsync();
        Assert.All(mine.Values, node => Assert.Equal(uid.ToString(System.Globalization.CultureInfo.InvariantCulture), node.Uid));
        return ours.Output;
    }
}
