using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.InteropServices;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Cli;

/// <summary>
/// What users install, packed by the scripts CI and releases use (scripts/pack-tool.sh,
/// scripts/package-standalone.sh): <c>dotnet tool install</c> gives this host the Native AOT
/// executable, the framework-dependent fallback runs under <c>dotnet</c>, and the standalone
/// archive holds the executable, its license and a README. Each builds an image skopeo reads.
/// </summary>
public sealed class ToolPackageTests : IDisposable
{
    private static readonly string HostRid = RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "linux-x64",
        Architecture.Arm64 => "linux-arm64",
        var other => throw new PlatformNotSupportedException($"no Native AOT runtime identifier for {other}"),
    };

    /// <summary>No MSBuild node or compiler server stays running after the test; the copy is no git checkout, so the archive's time is given.</summary>
    private static readonly Dictionary<string, string> ScriptEnvironment = new(StringComparer.Ordinal)
    {
        ["SOURCE_DATE_EPOCH"] = "1700000000",
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        ["UseSharedCompilation"] = "false",
    };

    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task The_packed_tool_installs_as_the_native_executable_and_its_fallback_and_archive_run()
    {
        var root = CopySources();
        var packages = _dir["packages"];
        await RunScriptAsync(root, "pack-tool.sh", packages, HostRid);
        var standalone = await RunScriptAsync(root, "package-standalone.sh", packages, HostRid);

        await Peer.RunAsync(CliTool.DotnetPath, ["tool", "install", "--tool-path", _dir["tools"], "--add-source", packages, "Dockerless.Cli"]);
        var tool = _dir["tools/dockerless"];
        Assert.True(IsElf(tool), $"{tool} is not a native executable");
        Assert.Empty(Directory.EnumerateFiles(_dir["tools/.store"], "*.dll", SearchOption.AllDirectories));
        await AssertBuildsHelloAsync(tool, [], "native");

        ZipFile.ExtractToDirectory(Directory.GetFiles(packages, "Dockerless.Cli.any.*.nupkg").Single(), _dir["any"]);
        await AssertBuildsHelloAsync(CliTool.DotnetPath, [_dir["any/tools/net10.0/any/Dockerless.Cli.dll"]], "any");

        var archive = Directory.GetFiles(packages, $"dockerless-*-{HostRid}.tar.gz").Single();
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(archive))), standalone, StringComparison.Ordinal);
        await using (var gzip = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress))
        {
            await TarFile.ExtractToDirectoryAsync(gzip, Directory.CreateDirectory(_dir["standalone"]).FullName, overwriteFiles: false);
        }
        var name = Path.GetFileName(archive)[..^".tar.gz".Length];
        Assert.Equal(["LICENSE", "README.md", "dockerless"], Directory.GetFiles(_dir[$"standalone/{name}"]).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        await AssertBuildsHelloAsync(_dir[$"standalone/{name}/dockerless"], [], "standalone");
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Prints a version and builds samples/hello into a docker-archive whose Cmd skopeo reads back.</summary>
    private async Task AssertBuildsHelloAsync(string program, string[] prefix, string name)
    {
        Assert.Matches(@"^\d+\.\d+\.\d+", await Peer.RunAsync(program, [.. prefix, "--version"]));
        var archive = _dir[$"{name}.tar"];
        await Peer.RunAsync(program, [.. prefix, "build", Path.Combine(CliTool.RepositoryRoot, "samples", "hello"), "-t", $"docker-archive:{archive}:hello:1", "--to-path", "/app", "--cmd", "/app/hello.sh"]);
        Assert.Contains("/app/hello.sh", await Peer.RunAsync("skopeo", ["inspect", "--config", $"docker-archive:{archive}"]), StringComparison.Ordinal);
    }

    private static bool IsElf(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var file = File.OpenRead(path);
        return file.Read(magic) == 4 && magic.SequenceEqual("\u007fELF"u8);
    }

    private static async Task<string> RunScriptAsync(string root, string script, params string[] args)
    {
        var (exitCode, output) = await Peer.TryRunAsync("bash", [Path.Combine(root, "scripts", script), .. args], ScriptEnvironment, timeout: TimeSpan.FromMinutes(15));
        Assert.True(exitCode == 0, $"scripts/{script} failed:\n{output}");
        return output;
    }

    /// <summary>A copy of what packing reads, so that it never touches the bin/ and obj/ the other tests run from.</summary>
    private string CopySources()
    {
        var root = Directory.CreateDirectory(_dir["src"]).FullName;
        foreach (var file in new[] { "Directory.Build.props", "global.json", "README.md", "LICENSE" })
        {
            File.Copy(Path.Combine(CliTool.RepositoryRoot, file), Path.Combine(root, file));
        }
        foreach (var folder in new[] { "scripts", "src/Dockerless", "src/Dockerless.Cli" })
        {
            CopyTree(Path.Combine(CliTool.RepositoryRoot, folder), Path.Combine(root, folder));
        }
        return root;
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar)[0] is "bin" or "obj") continue;
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
