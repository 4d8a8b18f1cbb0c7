using Dockerless.Sbom;

namespace Dockerless.Tests.Sbom;

/// <summary>The whole scan on a built image: what is noted rather than read, and where the distro comes from.</summary>
public sealed class SoftwareBillOfMaterialsTests
{
    [Fact]
    public async Task An_rpm_database_and_a_broken_deps_json_are_notes_and_usr_lib_os_release_names_the_distro()
    {
        await using var image = Image.Scratch("notes", "1");
        await image.AddLayerContentsAsync(new Dictionary<string, byte[]>
        {
            ["/var/lib/rpm/rpmdb.sqlite"] = "SQLite format 3\0"u8.ToArray(),
            ["/app/broken.deps.json"] = "{\"libraries\":"u8.ToArray(),
            ["/usr/lib/os-release"] = "ID=wolfi\nVERSION_ID=\"20230201\"\n"u8.ToArray(),
            ["/lib/apk/db/installed"] = "P:ca-certificates\nV:20240226-r0\nA:x86_64\n"u8.ToArray(),
        });

        var sbom = await SoftwareBillOfMaterials.CreateAsync(image, created: DateTimeOffset.UnixEpoch);

        Assert.Equal(["/app/broken.deps.json: not valid JSON", "/var/lib/rpm/rpmdb.sqlite: an rpm database, not read by this version"],
            sbom.Notes.Select(n => n.Contains("not valid JSON", StringComparison.Ordinal) ? n[..n.IndexOf(" (", StringComparison.Ordinal)] : n).Order(StringComparer.Ordinal));
        Assert.Equal("pkg:apk/wolfi/ca-certificates@20240226-r0?arch=x86_64&distro=wolfi-20230201", Assert.Single(sbom.Packages).Purl);
        using var spdx = new MemoryStream();
        await sbom.WriteAsync(spdx);
        Assert.Contains("rpm database, not read", System.Text.Encoding.UTF8.GetString(spdx.ToArray()), StringComparison.Ordinal);
    }
}
