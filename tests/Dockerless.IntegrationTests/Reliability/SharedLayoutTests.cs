using System.Diagnostics;
using System.Text.Json;
using Dockerless.IntegrationTests.Cli;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Reliability;

/// <summary>
/// Several <c>dockerless</c> processes writing into one OCI layout, as CI jobs sharing a cache
/// do: every writer's tag survives, and the layout passes oci-image-tool and umoci after.
/// </summary>
public sealed class SharedLayoutTests : IDisposable
{
    private static readonly string Sample = Path.Combine(CliTool.RepositoryRoot, "samples", "hello");

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A docker-archive of samples/hello, the source every writer copies.</summary>
    private async Task<string> SourceAsync()
    {
        var source = _dir["source.tar"];
        await CliTool.SucceedAsync(["build", Sample, "-t", $"docker-archive:{source}:hello:1", "--to-path", "/app", "--cmd", "/app/hello.sh"]);
        return source;
    }

    internal static List<string> Tags(string layout)
    {
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layout, "index.json")));
        return [.. index.RootElement.GetProperty("manifests").EnumerateArray()
            .Select(m => m.GetProperty("annotations").GetProperty("org.opencontainers.image.ref.name").GetString()!).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// oci-image-tool validates every entry (with no <c>--ref</c> it checks them all: version 1.0
    /// refuses a <c>--ref</c> in an index of three entries or more, "descriptor retrieved by refs
    /// ... is not unique", skopeo's layouts alike), and umoci gc, which takes every name under
    /// blobs/ for a digest, succeeds and leaves a layout that still validates.
    /// </summary>
    internal static async Task CheckWithPeersAsync(string layout)
    {
        await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", layout]);
        await Peer.RunAsync("umoci", ["gc", "--layout", layout]);
        await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", layout]);
    }

    /// <summary>The writers' commands: one copy, the others mutations (a new config and manifest each, on shared layers).</summary>
    internal static string[] WriterArgs(string source, string layout, int i)
        => i == 0 ? ["copy", $"docker-archive:{source}", $"oci:{layout}:{TagOf(i)}"] : ["mutate", $"docker-archive:{source}", "-t", $"oci:{layout}:{TagOf(i)}", "--label", $"n={i}"];

    internal static string TagOf(int i) => i == 0 ? "copied" : $"m{i}";

    [Fact]
    public async Task Eight_processes_writing_into_one_new_layout_all_keep_their_tag()
    {
        var source = await SourceAsync();
        var layout = _dir["layout"];

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => CliTool.RunAsync(WriterArgs(source, layout, i))));

        foreach (var result in results) Assert.True(result.ExitCode == 0, result.ToString());
        List<string> expected = [.. Enumerable.Range(0, 8).Select(TagOf).Order(StringComparer.Ordinal)];
        Assert.Equal(expected, Tags(layout));
        Assert.Empty(Directory.EnumerateDirectories(layout, ".dockerless-tmp-*"));
        await CheckWithPeersAsync(layout);
    }

    [Fact]
    public async Task A_writer_waits_while_the_flock_command_holds_the_layout_lock()
    {
        var source = await SourceAsync();
        var layout = _dir["layout"];
        await CliTool.SucceedAsync(["copy", $"docker-archive:{source}", $"oci:{layout}:first"]);

        using var holder = Process.Start(new ProcessStartInfo(Peer.Require("flock"), [Path.Combine(layout, "index.json.lock"), "sleep", "30"]) { UseShellExecute = false })!;
        try
        {
            await Task.Delay(500);
            var write = CliTool.RunAsync(["copy", $"docker-archive:{source}", $"oci:{layout}:second"]);
            await Task.Delay(3000);
            Assert.False(write.IsCompleted, "the copy finished while flock held the lock");
            Assert.Equal(["first"], Tags(layout));
            holder.Kill(entireProcessTree: true);
            var result = await write;
            Assert.True(result.ExitCode == 0, result.ToString());
        }
        finally
        {
            if (!holder.HasExited) holder.Kill(entireProcessTree: true);
        }
        Assert.Equal(["first", "second"], Tags(layout));
    }
}
