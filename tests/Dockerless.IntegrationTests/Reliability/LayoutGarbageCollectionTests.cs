using System.Diagnostics;
using Dockerless.IntegrationTests.Cli;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Reliability;

/// <summary>
/// <c>dockerless gc</c> against umoci gc, and writers killed with SIGKILL or cancelled with SIGINT
/// beside successful ones, then a rerun and a collection: the layout ends whole and valid.
/// </summary>
public sealed class LayoutGarbageCollectionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A docker-archive whose layer holds 8 MiB of random bytes, so that a write takes long enough to be killed in the middle.</summary>
    private async Task<string> SourceAsync()
    {
        var files = Directory.CreateDirectory(_dir["files"]).FullName;
        var bytes = new byte[8 << 20];
        new Random(13).NextBytes(bytes);
        await File.WriteAllBytesAsync(Path.Combine(files, "data.bin"), bytes);
        var source = _dir["source.tar"];
        await CliTool.SucceedAsync(["build", files, "-t", $"docker-archive:{source}:big:1", "--to-path", "/data"]);
        return source;
    }

    private static List<string> Files(string layout) => [.. Directory.EnumerateFiles(Path.Combine(layout, "blobs"), "*", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(layout, f)).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Gc_removes_what_umoci_gc_removes_and_the_layout_still_validates()
    {
        var source = await SourceAsync();
        var layout = _dir["layout"];
        for (var i = 0; i < 3; i++) await CliTool.SucceedAsync(["mutate", $"docker-archive:{source}", "-t", $"oci:{layout}:same", "--label", $"round={i}"]);
        await CliTool.SucceedAsync(["mutate", $"docker-archive:{source}", "-t", $"oci:{layout}:other", "--env", "X=1"]);
        var byUmoci = _dir["umoci"];
        await Peer.RunAsync("cp", ["-a", layout, byUmoci]);
        var before = Files(layout);

        var dry = await CliTool.SucceedAsync(["gc", $"oci:{layout}", "--dry-run"]);
        Assert.Equal(before, Files(layout));
        await Peer.RunAsync("umoci", ["gc", "--layout", byUmoci]);
        var removedByUmoci = before.Except(Files(byUmoci)).ToList();
        Assert.Equal(4, removedByUmoci.Count); // two replaced configs and manifests
        Assert.Equal(removedByUmoci, dry.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        Assert.Contains("would remove 4 blobs and 0 temporaries", dry.Error, StringComparison.Ordinal);

        var result = await CliTool.SucceedAsync(["gc", $"oci:{layout}"]);
        Assert.Equal(dry.Output, result.Output);
        Assert.Equal(Files(byUmoci), Files(layout));
        await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", layout]);
    }

    [Fact]
    public async Task Killed_and_cancelled_writers_beside_successful_ones_leave_a_layout_a_rerun_and_gc_make_whole()
    {
        var source = await SourceAsync();
        var layout = _dir["layout"];
        var random = new Random(20261208);
        for (var round = 0; round < 3; round++)
        {
            var runs = Enumerable.Range(0, 8).Select(i => (i % 4) switch
            {
                0 => RunAndSignalAsync(SharedLayoutTests.WriterArgs(source, layout, i), "KILL", random.Next(100, 1500)),
                1 => RunAndSignalAsync(SharedLayoutTests.WriterArgs(source, layout, i), "INT", random.Next(100, 1500)),
                _ => CliTool.RunAsync(SharedLayoutTests.WriterArgs(source, layout, i)),
            }).ToList();
            var results = await Task.WhenAll(runs);
            for (var i = 0; i < 8; i++)
            {
                if (i % 4 >= 2) Assert.True(results[i].ExitCode == 0, results[i].ToString());
                if (results[i].ExitCode == 0) Assert.Contains(SharedLayoutTests.TagOf(i), SharedLayoutTests.Tags(layout));
                else Assert.DoesNotContain("   at ", results[i].Error, StringComparison.Ordinal);
            }
            // Whatever the interrupted writers left, the layout reads and validates now.
            await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", layout]);

            await Task.WhenAll(Enumerable.Range(0, 8).Select(i => CliTool.SucceedAsync(SharedLayoutTests.WriterArgs(source, layout, i))));
            await CliTool.SucceedAsync(["gc", $"oci:{layout}"]);
            Assert.Empty(Directory.EnumerateDirectories(layout, ".dockerless-tmp-*"));
            Assert.Equal([.. Enumerable.Range(0, 8).Select(SharedLayoutTests.TagOf).Order(StringComparer.Ordinal)], SharedLayoutTests.Tags(layout));
            await SharedLayoutTests.CheckWithPeersAsync(layout);
        }
    }

    /// <summary>Runs the tool and sends it SIGKILL or SIGINT after <paramref name="delayMs"/> (unless it ended first).</summary>
    private static Task<CliResult> RunAndSignalAsync(string[] args, string signal, int delayMs)
        => CliTool.RunAsync(args, whileRunning: async process =>
        {
            await Task.Delay(delayMs);
            if (!process.HasExited) await Peer.TryRunAsync("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        });
}
