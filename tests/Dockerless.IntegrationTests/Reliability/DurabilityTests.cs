using System.Text.RegularExpressions;
using Dockerless.IntegrationTests.Cli;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Reliability;

/// <summary>
/// Durability of a copy into an OCI layout, as strace(1) sees its system calls: every file is
/// flushed (fsync) before the rename that publishes it, and the directory it lands in after, as
/// containerd's content store does, so after a power loss index.json never names a blob the disk
/// lacks. (A power loss itself cannot be had in a test; these are the calls that survive one.)
/// </summary>
public sealed partial class DurabilityTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private sealed record Call(string Name, string Path, string? To = null);

    [GeneratedRegex(@"^(?<pid>\d+)\s+f(?:data)?sync\(\d+<(?<path>[^>]*)>(?<unfinished> <unfinished \.\.\.>)?")]
    private static partial Regex FsyncCall();

    [GeneratedRegex(@"^(?<pid>\d+)\s+<\.\.\. f(?:data)?sync resumed>")]
    private static partial Regex FsyncResumed();

    [GeneratedRegex(@"^\d+\s+rename(?:at2?)?\([^""]*""(?<from>[^""]+)"",[^""]*""(?<to>[^""]+)""")]
    private static partial Regex RenameCall();

    /// <summary>The fsyncs (when they returned) and renames of a trace, in order.</summary>
    private static List<Call> Calls(IEnumerable<string> trace)
    {
        var calls = new List<Call>();
        var unfinished = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in trace)
        {
            if (FsyncCall().Match(line) is { Success: true } fsync)
            {
                if (fsync.Groups["unfinished"].Success) unfinished[fsync.Groups["pid"].Value] = fsync.Groups["path"].Value;
                else calls.Add(new Call("fsync", fsync.Groups["path"].Value));
            }
            else if (FsyncResumed().Match(line) is { Success: true } resumed && unfinished.Remove(resumed.Groups["pid"].Value, out var path))
            {
                calls.Add(new Call("fsync", path));
            }
            else if (RenameCall().Match(line) is { Success: true } rename)
            {
                calls.Add(new Call("rename", rename.Groups["from"].Value, rename.Groups["to"].Value));
            }
        }
        return calls;
    }

    [Fact]
    public async Task A_copy_into_a_layout_flushes_each_file_before_publishing_it_and_its_directory_after()
    {
        var source = _dir["source.tar"];
        await CliTool.SucceedAsync(["build", Path.Combine(CliTool.RepositoryRoot, "samples", "hello"), "-t", $"docker-archive:{source}:hello:1", "--to-path", "/app"]);
        var layout = _dir["layout"];
        var trace = _dir["trace"];

        await Peer.RunAsync("strace", ["-f", "-y", "-qq", "-e", "trace=fsync,fdatasync,rename,renameat,renameat2", "-o", trace,
            CliTool.DotnetPath, CliTool.DllPath, "copy", $"docker-archive:{source}", $"oci:{layout}:1", "-q"]);

        var calls = Calls(await File.ReadAllLinesAsync(trace));
        var published = calls.Where(c => c.Name == "rename" && c.To!.StartsWith(layout + "/", StringComparison.Ordinal)).ToList();
        var blobs = Directory.GetFiles(Path.Combine(layout, "blobs", "sha256"));
        Assert.Equal([.. blobs, Path.Combine(layout, "index.json"), Path.Combine(layout, "oci-layout")], published.Select(c => c.To!).Order(StringComparer.Ordinal));
        foreach (var rename in published)
        {
            var at = calls.IndexOf(rename);
            Assert.True(calls.Take(at).Any(c => c.Name == "fsync" && c.Path == rename.Path), $"{rename.To} was published before {rename.Path} was flushed");
            var directory = Path.GetDirectoryName(rename.To)!;
            Assert.True(calls.Skip(at + 1).Any(c => c.Name == "fsync" && c.Path == directory), $"{directory} was not flushed after {rename.To} was published");
        }
    }
}
