using System.Text;
using Dockerless.Sbom;

namespace Dockerless.Tests.Sbom;

/// <summary>Which files are package databases, and what each kind lists (the peers' comparisons are in the integration tests).</summary>
public sealed class PackageDatabasesTests
{
    private static List<SoftwarePackage> Read(string path, string text, OsRelease? os = null)
    {
        var notes = new List<string>();
        var packages = PackageDatabases.Read(path, Encoding.UTF8.GetBytes(text), os ?? new OsRelease(null, null), notes).ToList();
        Assert.Empty(notes);
        return packages;
    }

    [Theory]
    [InlineData("var/lib/dpkg/status", true)]
    [InlineData("var/lib/dpkg/status.d/base", true)]
    [InlineData("var/lib/dpkg/status.d/base.md5sums", false)]
    [InlineData("lib/apk/db/installed", true)]
    [InlineData("app/web.deps.json", true)]
    [InlineData("srv/node_modules/left-pad/package.json", true)]
    [InlineData("srv/node_modules/@scope/util/package.json", true)]
    [InlineData("srv/node_modules/left-pad/lib/package.json", false)]
    [InlineData("srv/package.json", false)]
    [InlineData("usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA", true)]
    [InlineData("usr/lib/python3/dist-packages/PyJWT-2.6.0.egg-info/PKG-INFO", true)]
    [InlineData("usr/lib/python3/dist-packages/yaml/METADATA", false)]
    public void Only_package_databases_are_kept(string path, bool wanted) => Assert.Equal(wanted, PackageDatabases.IsWanted(path));

    [Fact]
    public void Dpkg_lists_installed_packages_only_and_a_distroless_status_d_file_without_status()
    {
        var status = "Package: libc6\nStatus: install ok installed\nVersion: 2.36-9+deb12u4\nArchitecture: amd64\nDescription: GNU C Library\n continued\n\n"
            + "Package: gone\nStatus: deinstall ok config-files\nVersion: 1\nArchitecture: amd64\n";
        var packages = Read("var/lib/dpkg/status", status, new OsRelease("debian", "12"));
        Assert.Equal("pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12", Assert.Single(packages).Purl);
        var distroless = Read("var/lib/dpkg/status.d/tzdata", "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n");
        Assert.Equal("pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1?arch=all", Assert.Single(distroless).Purl);
    }

    [Fact]
    public void Apk_records_give_alpine_purls_with_their_license()
    {
        var installed = "C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\nL:MIT\n\nP:busybox\nV:1.36.1-r5\nA:x86_64\nL:GPL-2.0-only\n";
        var packages = Read("lib/apk/db/installed", installed, OsRelease.Parse("ID=alpine\nVERSION_ID=3.18.4\n"));
        Assert.Equal(["pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.18.4", "pkg:apk/alpine/busybox@1.36.1-r5?arch=x86_64&distro=alpine-3.18.4"], packages.Select(p => p.Purl));
        Assert.Equal("MIT", packages[0].License);
    }

    [Fact]
    public void Python_names_are_normalised_in_the_purl_and_a_broken_json_file_is_a_note()
    {
        var package = Assert.Single(Read("x/Foo_Bar.Baz-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: Foo_Bar.Baz\nVersion: 1.0\n\nlong description\nName: not a header\n"));
        Assert.Equal("pkg:pypi/foo-bar-baz@1.0", package.Purl);
        var notes = new List<string>();
        Assert.Empty(PackageDatabases.Read("app/x.deps.json", "{"u8.ToArray(), new OsRelease(null, null), notes));
        Assert.Contains("/app/x.deps.json: not valid JSON", Assert.Single(notes), StringComparison.Ordinal);
    }
}
