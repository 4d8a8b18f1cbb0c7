using Dockerless.IntegrationTests.Cli;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Reliability;

/// <summary>A TMPDIR on a 1 MiB tmpfs that a layer fills: the error names the folder and what to do, not a spool file.</summary>
public sealed class FullTemporaryFolderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_full_temporary_folder_is_named_as_full_and_no_output_is_left()
    {
        Assert.True(Environment.UserName == "root", "this test mounts a tmpfs and must run as root (CI does; run scripts/test.sh as root)");
        var files = Directory.CreateDirectory(_dir["files"]).FullName;
        var bytes = new byte[24 << 20];
        new Random(28).NextBytes(bytes);
        await File.WriteAllBytesAsync(Path.Combine(files, "big.bin"), bytes);
        var tmp = Directory.CreateDirectory(_dir["tmp"]).FullName;
        await Peer.RunAsync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", tmp]);
        try
        {
            var result = await CliTool.RunAsync(["build", files, "-t", $"docker-archive:{_dir["out.tar"]}:full:1", "--to-path", "/data"],
                new Dictionary<string, string?> { ["TMPDIR"] = tmp });

            Assert.Equal(1, result.ExitCode);
            Assert.Equal($"dockerless: the temporary folder {tmp}/ is full (No space left on device): free space there or set TMPDIR to a folder with room for the image's layers", result.Error.Trim());
            Assert.False(File.Exists(_dir["out.tar"]));
            Assert.Empty(Directory.EnumerateFileSystemEntries(tmp));
        }
        finally
        {
            await Peer.RunAsync("umount", [tmp]);
        }
    }
}
