using Dockerless.Build.Publishing;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.Tests.Build;

/// <summary>A publish directory's files are sorted into layers by the libraries its deps.json names.</summary>
public sealed class AppLayoutTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string Deps = """
        {
          "runtimeTarget": { "name": ".NETCoreApp,Version=v10.0/linux-x64" },
          "targets": {
            ".NETCoreApp,Version=v10.0/linux-x64": {
              "App/1.0.0": { "dependencies": { "Lib": "1.0.0" }, "runtime": { "App.dll": {} }, "resources": { "fr/App.resources.dll": { "locale": "fr" } } },
              "Newtonsoft.Json/13.0.3": { "runtime": { "lib/net6.0/Newtonsoft.Json.dll": { "assemblyVersion": "13.0.0.0" } } },
              "Humanizer.Core.de/2.14.1": { "resources": { "lib/net6.0/de/Humanizer.resources.dll": { "locale": "de" } } },
              "SQLitePCLRaw.lib/2.1.0": { "native": { "runtimes/linux-x64/native/libe_sqlite3.so": {} } },
              "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/10.0.12": { "runtime": { "System.Private.CoreLib.dll": {} }, "native": { "libcoreclr.so": {} } },
              "Lib/1.0.0": { "runtime": { "Lib.dll": {} } }
            }
          },
          "libraries": {
            "App/1.0.0": { "type": "project" },
            "Newtonsoft.Json/13.0.3": { "type": "package", "sha512": "sha512-HrC5BXdl00IP9zeV+0Z848QWPAoCr9P3bDEZguI+gkLcBKAOxix/tLEAAHC+UvDNPv4a2d18lOReHMOagPa+zQ==" },
            "Humanizer.Core.de/2.14.1": { "type": "package" },
            "SQLitePCLRaw.lib/2.1.0": { "type": "package" },
            "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/10.0.12": { "type": "runtimepack" },
            "Lib/1.0.0": { "type": "project" }
          }
        }
        """;

    [Fact]
    public async Task Files_go_to_the_layer_of_the_library_that_put_them_there()
    {
        string[] files = ["App.dll", "App.pdb", "fr/App.resources.dll", "App", "App.deps.json", "App.runtimeconfig.json", "Newtonsoft.Json.dll", "de/Humanizer.resources.dll", "libe_sqlite3.so",
            "System.Private.CoreLib.dll", "libcoreclr.so", "Lib.dll", "Lib.pdb", "wwwroot/site.css"];
        foreach (var file in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_dir[file])!);
            await File.WriteAllTextAsync(_dir[file], file);
        }
        Directory.CreateDirectory(_dir["logs"]);
        await File.WriteAllTextAsync(_dir["App.deps.json"], Deps);
        var libraries = await DepsFile.ReadAsync(_dir["App.deps.json"]);
        var layout = AppLayout.Create(_dir.Path, libraries, "App.dll");
        Assert.Equal(["System.Private.CoreLib.dll", "libcoreclr.so"], layout.Files[LayerKind.Runtime]);
        Assert.Equal(["Newtonsoft.Json.dll", "de/Humanizer.resources.dll", "libe_sqlite3.so"], layout.Files[LayerKind.Packages]);
        Assert.Equal(["Lib.dll", "Lib.pdb"], layout.Files[LayerKind.Projects]);
        Assert.Equal(["App", "App.deps.json", "App.runtimeconfig.json", "wwwroot/site.css"], layout.Files[LayerKind.Resources]);
        Assert.Equal(["App.dll", "App.pdb", "fr/App.resources.dll"], layout.Files[LayerKind.App]);
        Assert.Equal(["logs"], layout.EmptyDirectories);
        Assert.Equal("sha512-HrC5BXdl00IP9zeV+0Z848QWPAoCr9P3bDEZguI+gkLcBKAOxix/tLEAAHC+UvDNPv4a2d18lOReHMOagPa+zQ==", libraries.Single(l => l.Name == "Newtonsoft.Json").Sha512);
    }

    [Fact]
    public async Task A_deps_file_that_is_not_json_is_an_error_naming_its_line()
    {
        await File.WriteAllTextAsync(_dir["bad.deps.json"], "{\n  \"runtimeTarget\": \n  oops");
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => DepsFile.ReadAsync(_dir["bad.deps.json"]));
        Assert.StartsWith($"{_dir["bad.deps.json"]}:3:", error.Message, StringComparison.Ordinal);
    }
}
