using System.Formats.Tar;
using System.Globalization;
using System.Text;
using Dockerless.IntegrationTests.Fixtures;
using Dockerless.IntegrationTests.Layers;
using Dockerless.Tests.Hostile;
using Dockerless.Unpacking;

namespace Dockerless.IntegrationTests.Unpacking;

/// <summary>
/// Differential tests of <see cref="Image.UnpackAsync"/> against <c>umoci unpack</c> run as root:
/// every crafted image of <see cref="UmociUnpackTests"/> (inherited: the same layers, now compared
/// with our unpack instead of umoci's unpack of our flatten), then what only an unpack shows:
/// binary extended attributes set on files, nanosecond times, device nodes, and a real busybox image. The trees must hold the same paths, types, modes, owners,
/// times (directories' and symlinks' too), link targets, hard link groups, contents and extended
/// attributes. Each image is unpacked twice, with openat2(2) and with the walk that replaces it.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UnpackMatchesUmociTests : UmociUnpackTests
{
    private const TreeDetail Detail = TreeDetail.AllTimes | TreeDetail.Xattrs;
    private int _unpacks;

    protected override async Task AssertSameAsUmociAsync(params TarEntry[][] layers)
    {
        await using var image = Image.Scratch("dockerless-test/unpack", "v1");
        foreach (var entries in layers) image.AddLayer(RawTarLayer.Of(entries));
        await AssertSameTreeAsync(image);
    }

    [Fact]
    public async Task Binary_extended_attributes_such_as_security_capability_are_kept_byte_for_byte()
    {
        // cap_setuid and cap_net_raw, effective: bytes above 0x7F, which no UTF-8 string holds.
        byte[] capability = [0x01, 0x00, 0x00, 0x02, 0x80, 0x20, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        await using var image = Image.Scratch("dockerless-test/unpack", "v1");
        image.AddLayer(new RawTarLayer(RawTar.Archive(
            RawTar.Header("bin/", '5'),
            Pax(("SCHILY.xattr.security.capability", capability), ("SCHILY.xattr.user.comment", "ünï\0bin"u8.ToArray())),
            RawTar.File("bin/ping", [1, 2, 3]),
            Pax(("SCHILY.xattr.user.dir", [0xFF, 0x00, 0x7F]), ("SCHILY.xattr.trusted.note", "t"u8.ToArray())),
            RawTar.Header("etc/", '5'))));
        image.AddLayer(new RawTarLayer(RawTar.Archive(Pax(("SCHILY.xattr.user.new", "n"u8.ToArray())), RawTar.Header("etc/", '5'))));
        await AssertSameTreeAsync(image);
    }

    [Fact]
    public async Task A_time_to_the_nanosecond_and_one_before_1970_are_kept()
    {
        await using var image = Image.Scratch("dockerless-test/unpack", "v1");
        image.AddLayer(new RawTarLayer(RawTar.Archive(
            Pax(("mtime", "1600000000.123456789"u8.ToArray())), RawTar.File("ns", [1]),
            Pax(("mtime", "-1.25"u8.ToArray())), RawTar.File("old", [2]),
            Pax(("mtime", "1600000001.987654321"u8.ToArray())), RawTar.Header("d/", '5'))));
        await AssertSameTreeAsync(image);
    }

    [Fact]
    public async Task Device_nodes_and_fifos_are_made_as_root()
    {
        await AssertSameAsUmociAsync(
            [Dir("dev"), new PaxTarEntry(TarEntryType.CharacterDevice, "dev/null") { DeviceMajor = 1, DeviceMinor = 3, Mode = (UnixFileMode)0x1B6, ModificationTime = NextTime() },
                new PaxTarEntry(TarEntryType.BlockDevice, "dev/loop0") { DeviceMajor = 7, DeviceMinor = 0, Mode = (UnixFileMode)0x1B0, Gid = 6, ModificationTime = NextTime() },
                new PaxTarEntry(TarEntryType.Fifo, "dev/pipe") { Mode = (UnixFileMode)0x180, Uid = 12, ModificationTime = NextTime() }],
            [new PaxTarEntry(TarEntryType.CharacterDevice, "dev/zero") { DeviceMajor = 1, DeviceMinor = 5, Mode = (UnixFileMode)0x1B6, ModificationTime = NextTime() }]);
    }

    [Fact]
    public async Task A_real_busybox_image_gives_umocis_tree()
    {
        var image = await BusyboxImage.BuildAsync(Temp.Path);
        await using (image) await AssertSameTreeAsync(image);
    }

    /// <summary>Unpacks <paramref name="image"/> with umoci and with ours (both resolvers) and asserts the trees are equal.</summary>
    private async Task AssertSameTreeAsync(Image image)
    {
        var layout = Temp[$"layout-{++_unpacks}"];
        var bundle = Temp[$"bundle-{_unpacks}"];
        await image.WriteOciLayoutAsync(layout);
        await Peer.RunAsync("umoci", ["unpack", "--image", $"{layout}:{image.Tag}", bundle]);
        var theirs = await TreeSnapshot.TakeAsync(Path.Combine(bundle, "rootfs"), Detail);
        foreach (var openat2 in new[] { true, false })
        {
            var ours = Temp[$"ours-{_unpacks}-{(openat2 ? "openat2" : "walk")}"];
            var result = await image.UnpackAsync(ours, new UnpackOptions { UseOpenat2 = openat2 });
            Assert.False(result.Rootless);
            var differences = TreeSnapshot.Differences(theirs, TreeSnapshot.KeepingUmocisClockTimes(theirs, await TreeSnapshot.TakeAsync(ours, Detail)), "umoci unpack", $"dockerless unpack ({(openat2 ? "openat2" : "walk")})");
            Assert.True(differences.Count == 0, string.Join('\n', differences));
        }
    }

    /// <summary>A PAX header whose record values are raw bytes.</summary>
    internal static byte[] Pax(params (string Key, byte[] Value)[] records)
    {
        var body = new List<byte>();
        foreach (var (key, value) in records)
        {
            var rest = Encoding.UTF8.GetByteCount($" {key}=") + value.Length + 1;
            var length = rest + 1;
            while (length.ToString(CultureInfo.InvariantCulture).Length + rest > length) length++;
            body.AddRange(Encoding.UTF8.GetBytes($"{length.ToString(CultureInfo.InvariantCulture)} {key}="));
            body.AddRange(value);
            body.Add((byte)'\n');
        }
        return RawTar.File("PaxHeaders/entry", [.. body], type: 'x');
    }
}
