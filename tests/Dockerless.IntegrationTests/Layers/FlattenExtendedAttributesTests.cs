using System.Formats.Tar;
using Dockerless.IntegrationTests.Fixtures;
using Dockerless.IntegrationTests.Unpacking;
using Dockerless.Tests.Hostile;

namespace Dockerless.IntegrationTests.Layers;

/// <summary>
/// Extended attributes through export and flatten: a binary value (a <c>security.capability</c>,
/// bytes above 0x7F that no UTF-8 string holds) is written byte for byte, as umoci unpack of the
/// layers sets it.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FlattenExtendedAttributesTests : IDisposable
{
    // cap_setuid and cap_net_raw, effective.
    private static readonly byte[] s_capability = [0x01, 0x00, 0x00, 0x02, 0x80, 0x20, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    private static readonly byte[] s_binaryComment = [0xFF, 0x00, 0x7F, 0xC3];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Image ImageWithBinaryAttributes()
    {
        var image = Image.Scratch("dockerless-test/xattrs", "v1");
        image.AddLayer(new RawTarLayer(RawTar.Archive(
            RawTar.Header("bin/", '5'),
            UnpackMatchesUmociTests.Pax(("SCHILY.xattr.security.capability", s_capability), ("SCHILY.xattr.user.comment", "ünï\0bin"u8.ToArray())),
            RawTar.File("bin/ping", [1, 2, 3]),
            UnpackMatchesUmociTests.Pax(("SCHILY.xattr.user.dir", s_binaryComment), ("SCHILY.xattr.trusted.note", "t"u8.ToArray())),
            RawTar.Header("etc/", '5'))));
        image.AddLayer(new RawTarLayer(RawTar.Archive(
            UnpackMatchesUmociTests.Pax(("SCHILY.xattr.user.new", s_binaryComment)),
            RawTar.File("bin/su", [4]))));
        return image;
    }

    [Fact]
    public async Task Flatten_keeps_binary_extended_attributes_byte_for_byte_as_umoci_sets_them()
    {
        await using var image = ImageWithBinaryAttributes();

        var differences = await UmociFlattenComparison.DifferencesAsync(image, _dir.Path, TreeDetail.Xattrs);

        Assert.True(differences.Count == 0, string.Join('\n', differences));
    }

    [Fact]
    public async Task Export_writes_the_attributes_bytes_in_its_pax_records()
    {
        await using var image = ImageWithBinaryAttributes();
        var export = new MemoryStream();
        await image.ExportAsync(export);

        var tar = export.ToArray();
        Assert.True(tar.AsSpan().IndexOf([.. "SCHILY.xattr.security.capability="u8, .. s_capability, (byte)'\n']) >= 0, "the capability's bytes are not in the export");
        Assert.True(tar.AsSpan().IndexOf([.. "SCHILY.xattr.user.new="u8, .. s_binaryComment, (byte)'\n']) >= 0, "user.new's bytes are not in the export");
        export.Position = 0;
        await using var reader = new TarReader(export);
        var names = new List<string>();
        while (await reader.GetNextEntryAsync() is { } entry) names.Add(entry.Name);
        Assert.Equal(["bin/", "bin/ping", "bin/su", "etc/"], names.Order(StringComparer.Ordinal));
    }
}
