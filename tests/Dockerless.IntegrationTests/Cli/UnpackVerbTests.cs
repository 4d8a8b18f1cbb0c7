using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Cli;

/// <summary><c>dockerless unpack</c> as a user types it: sources the other verbs take, and the one-line errors for a directory it will not write into.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UnpackVerbTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_docker_archive_unpacks_into_a_new_directory_and_a_directory_not_empty_is_refused_untouched()
    {
        var archive = _dir["busybox.tar"];
        await using (var image = await BusyboxImage.BuildAsync(_dir.Path)) await image.WriteFileAsync(archive);
        var rootfs = _dir["rootfs"];

        var unpacked = await CliTool.SucceedAsync(["unpack", $"docker-archive:{archive}", rootfs]);

        Assert.Contains($"wrote {rootfs}", unpacked.Error, StringComparison.Ordinal);
        Assert.Equal(BusyboxImage.DataText, await File.ReadAllTextAsync(Path.Combine(rootfs, "data/hello.txt")));
        Assert.Equal("busybox", new FileInfo(Path.Combine(rootfs, "bin/sh")).LinkTarget);

        var again = await CliTool.RunAsync("unpack", $"docker-archive:{archive}", rootfs);

        Assert.Equal(1, again.ExitCode);
        Assert.Equal($"dockerless: {rootfs}: is not empty; unpack writes into a new or empty directory", again.Error.Trim());
        Assert.Equal(BusyboxImage.DataText, await File.ReadAllTextAsync(Path.Combine(rootfs, "data/hello.txt")));
    }

    [Fact]
    public async Task A_directory_whose_parent_is_missing_is_a_one_line_error()
    {
        var missing = _dir["no/such/rootfs"];

        var result = await CliTool.RunAsync("unpack", "scratch", missing);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"dockerless: {missing}: cannot make the directory: its parent does not exist", result.Error.Trim());
    }
}
