using System.Text;
using System.Text.Json;
using Dockerless.IntegrationTests.Cli;
using Dockerless.IntegrationTests.Fixtures;
using Dockerless.Sbom;

namespace Dockerless.IntegrationTests.Sbom;

/// <summary>
/// <c>dockerless sbom</c> against the package databases' own readers: dpkg-query on this Debian
/// machine's status file, Python's importlib.metadata on its dist-info, npm ls on a node_modules
/// tree, jq on the tool's own deps.json; the SPDX document checked for SPDX 2.3's required fields.
/// </summary>
public sealed class SbomTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private string _layout = "";
    private string _removedPython = "";

    /// <summary>The image every test reads, built once: three layers, the last deleting one Python package.</summary>
    public async Task InitializeAsync()
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["/var/lib/dpkg/status"] = await File.ReadAllBytesAsync("/var/lib/dpkg/status"),
            ["/etc/os-release"] = await File.ReadAllBytesAsync("/etc/os-release"),
            ["/app/Dockerless.Cli.deps.json"] = await File.ReadAllBytesAsync(DepsJson),
        };
        foreach (var metadata in PythonMetadataFiles()) files[metadata] = await File.ReadAllBytesAsync(metadata);
        WriteNodeModules(_dir["npm"]);
        foreach (var package in Directory.EnumerateFiles(_dir["npm"], "package.json", SearchOption.AllDirectories))
        {
            files["/srv/web" + package[_dir["npm"].Length..]] = await File.ReadAllBytesAsync(package);
        }
        await using var image = Image.Scratch("sbom-test", "1");
        await image.AddLayerContentsAsync(files);
        _removedPython = Path.GetDirectoryName(PythonMetadataFiles().Where(p => p.EndsWith("/METADATA", StringComparison.Ordinal)).Order(StringComparer.Ordinal).First())!;
        await image.DeletePathsAsync([_removedPython]);
        _layout = _dir["layout"];
        await image.WriteOciLayoutAsync(_layout);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _dir.Dispose();

    private static string DepsJson => Path.Combine(Path.GetDirectoryName(CliTool.DllPath)!, "Dockerless.Cli.deps.json");

    /// <summary>This machine's Python distributions' metadata files: dist-info/METADATA, egg-info/PKG-INFO, or an egg-info file.</summary>
    private static IEnumerable<string> PythonMetadataFiles()
        => Directory.EnumerateFileSystemEntries("/usr/lib/python3/dist-packages", "*-info")
            .Select(p => p.EndsWith(".dist-info", StringComparison.Ordinal) ? Path.Combine(p, "METADATA") : Directory.Exists(p) ? Path.Combine(p, "PKG-INFO") : p)
            .Where(File.Exists);

    /// <summary>A node_modules tree as npm lays it out: a plain, a scoped and a nested package, and a package.json deeper in one that is no package.</summary>
    private static void WriteNodeModules(string root)
    {
        void Write(string path, string json)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, path))!);
            File.WriteAllText(Path.Combine(root, path), json);
        }
        Write("package.json", """{"name":"web","version":"1.0.0","dependencies":{"left-pad":"1.3.0","@scope/util":"2.0.1"}}""");
        Write("node_modules/left-pad/package.json", """{"name":"left-pad","version":"1.3.0","license":"WTFPL"}""");
        Write("node_modules/@scope/util/package.json", """{"name":"@scope/util","version":"2.0.1","dependencies":{"left-pad":"1.1.0"}}""");
        Write("node_modules/@scope/util/node_modules/left-pad/package.json", """{"name":"left-pad","version":"1.1.0"}""");
        Write("node_modules/left-pad/lib/package.json", """{"type":"module"}""");
    }

    private async Task<SoftwareBillOfMaterials> ReadAsync()
    {
        await using var image = await ImageLocation.Parse($"oci:{_layout}").OpenImageAsync();
        return await SoftwareBillOfMaterials.CreateAsync(image);
    }

    private static HashSet<string> Of(SoftwareBillOfMaterials sbom, string type)
        => [.. sbom.Packages.Where(p => p.Type == type).Select(p => $"{p.Name} {p.Version}")];

    [Fact]
    public async Task The_deb_packages_are_those_dpkg_query_lists_as_installed_with_debian_purls()
    {
        var sbom = await ReadAsync();

        var listed = (await Peer.RunAsync("dpkg-query", ["--admindir=/var/lib/dpkg", "-W", "-f=${db:Status-Status}|${Package}|${Version}|${Architecture}\\n"]))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|')).Where(f => f[0] == "installed").ToList();
        Assert.Equal(listed.Select(f => $"{f[1]} {f[2]}").ToHashSet(), Of(sbom, "deb"));
        var first = listed[0];
        var release = (await File.ReadAllLinesAsync("/etc/os-release")).ToDictionary(l => l.Split('=')[0], l => l.Split('=', 2)[1].Trim('"'));
        Assert.Contains(sbom.Packages, p => p.Purl == $"pkg:deb/{release["ID"]}/{first[1]}@{Uri.EscapeDataString(first[2])}?arch={first[3]}&distro={release["ID"]}-{release["VERSION_ID"]}");
    }

    [Fact]
    public async Task The_python_packages_are_those_importlib_metadata_finds_less_the_deleted_one()
    {
        var sbom = await ReadAsync();

        var script = "import importlib.metadata as m, sys\nfor d in m.distributions(path=[sys.argv[1]]): print(d.metadata['Name'], d.version)";
        var found = (await Peer.RunAsync("python3", ["-c", script, "/usr/lib/python3/dist-packages"])).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        using (var metadata = File.OpenText(Path.Combine(_removedPython, "METADATA")))
        {
            var headers = (await metadata.ReadToEndAsync()).Split('\n');
            found.Remove($"{headers.First(h => h.StartsWith("Name: ", StringComparison.Ordinal))[6..]} {headers.First(h => h.StartsWith("Version: ", StringComparison.Ordinal))[9..]}");
        }
        Assert.Equal(found, Of(sbom, "pypi"));
        Assert.All(sbom.Packages.Where(p => p.Type == "pypi"), p => Assert.StartsWith("pkg:pypi/", p.Purl, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_npm_and_nuget_packages_are_those_npm_ls_and_the_deps_json_list()
    {
        var sbom = await ReadAsync();

        var npm = (await Peer.RunAsync("npm", ["ls", "--all", "--parseable", "--long", "--prefix", _dir["npm"]]))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l[(l.LastIndexOf(':') + 1)..]).ToHashSet();
        Assert.Equal(npm, sbom.Packages.Where(p => p.Type == "npm").Select(p => $"{p.Name}@{p.Version}").ToHashSet());
        Assert.Contains(sbom.Packages, p => p.Purl == "pkg:npm/%40scope/util@2.0.1" && p.Location == "/srv/web/node_modules/@scope/util/package.json");

        var nuget = (await Peer.RunAsync("jq", ["-r", ".libraries | to_entries[] | select(.value.type == \"package\") | .key", DepsJson]))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(k => k.Replace('/', ' ')).ToHashSet();
        Assert.NotEmpty(nuget);
        Assert.Equal(nuget, Of(sbom, "nuget"));
        Assert.Contains(sbom.Packages, p => p.Purl == "pkg:nuget/System.CommandLine@" + p.Version && p.Location == "/app/Dockerless.Cli.deps.json");
    }

    [Fact]
    public async Task The_cli_writes_spdx_2_3_with_its_required_fields_and_cyclonedx_reproducibly()
    {
        var environment = new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = "1700000000" };
        var spdx = (await CliTool.SucceedAsync(["sbom", $"oci:{_layout}"], environment)).Output;
        Assert.Equal(spdx, (await CliTool.SucceedAsync(["sbom", $"oci:{_layout}"], environment)).Output);
        await CliTool.SucceedAsync(["sbom", $"oci:{_layout}", "--format", "cyclonedx-json", "-o", _dir["bom.json"]], environment);

        using var document = JsonDocument.Parse(spdx);
        var root = document.RootElement;
        Assert.Equal("SPDX-2.3", root.GetProperty("spdxVersion").GetString());
        Assert.Equal("CC0-1.0", root.GetProperty("dataLicense").GetString());
        Assert.Equal("SPDXRef-DOCUMENT", root.GetProperty("SPDXID").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("name").GetString()));
        Assert.True(Uri.TryCreate(root.GetProperty("documentNamespace").GetString(), UriKind.Absolute, out var space) && space.Fragment.Length == 0);
        Assert.Equal("2023-11-14T22:13:20Z", root.GetProperty("creationInfo").GetProperty("created").GetString());
        Assert.StartsWith("Tool: dockerless-", root.GetProperty("creationInfo").GetProperty("creators")[0].GetString(), StringComparison.Ordinal);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var package in root.GetProperty("packages").EnumerateArray())
        {
            var id = package.GetProperty("SPDXID").GetString()!;
            Assert.Matches("^SPDXRef-[A-Za-z0-9.-]+$", id);
            Assert.True(ids.Add(id), $"{id} twice");
            Assert.False(string.IsNullOrEmpty(package.GetProperty("name").GetString()));
            Assert.Equal("NOASSERTION", package.GetProperty("downloadLocation").GetString());
            Assert.False(package.GetProperty("filesAnalyzed").GetBoolean());
        }
        foreach (var relationship in root.GetProperty("relationships").EnumerateArray())
        {
            Assert.Contains(relationship.GetProperty("spdxElementId").GetString()!, ids.Append("SPDXRef-DOCUMENT"));
            Assert.Contains(relationship.GetProperty("relatedSpdxElement").GetString()!, ids);
        }
        var purls = root.GetProperty("packages").EnumerateArray().Skip(1).Select(p => p.GetProperty("externalRefs")[0].GetProperty("referenceLocator").GetString()!).ToList();
        Assert.Equal((await ReadAsync()).Packages.Select(p => p.Purl), purls);

        using var bom = JsonDocument.Parse(await File.ReadAllBytesAsync(_dir["bom.json"]));
        Assert.Equal("CycloneDX", bom.RootElement.GetProperty("bomFormat").GetString());
        Assert.Equal("1.5", bom.RootElement.GetProperty("specVersion").GetString());
        Assert.Matches("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", bom.RootElement.GetProperty("serialNumber").GetString());
        Assert.Equal(purls, bom.RootElement.GetProperty("components").EnumerateArray().Select(c => c.GetProperty("purl").GetString()!));
    }
}
