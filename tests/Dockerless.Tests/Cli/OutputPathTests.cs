using Dockerless.Cli;
using Dockerless.Tests.Layers;

namespace Dockerless.Tests.Cli;

/// <summary>Where a verb writes a file: what is there already decides what may happen to it.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class OutputPathTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(["-q", .. args], output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static string Destination(string form, string path) => string.Format(System.Globalization.CultureInfo.InvariantCulture, form, path);

    /// <summary>
    /// A fifo (as a device such as /dev/null) is written into, as skopeo and a shell's '&gt;' write
    /// it, and stays a fifo: the rename put the archive in its place. The reader gets the same
    /// bytes as a file would hold.
    /// </summary>
    [Theory]
    [InlineData("copy", "docker-archive:{0}")]
    [InlineData("copy", "oci-archive:{0}")]
    [InlineData("export", "{0}")]
    public async Task A_fifo_is_written_into_and_left_a_fifo(string verb, string form)
    {
        var fifo = _dir.Combine("pipe");
        LayerTestSupport.Run("mkfifo", fifo);
        var expected = await WrittenToAFileAsync(verb, form);

        var reading = Task.Run(() => File.ReadAllBytesAsync(fifo));
        var (code, output, error) = await RunAsync(verb, "scratch", Destination(form, fifo));

        Assert.Equal((0, "", ""), (code, output, error));
        Assert.Equal(expected, await reading.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(HostFileKind.Fifo, HostFileInfo.Read(fifo).Kind);
    }

    /// <summary>
    /// /dev/stdout on a pipe (<c>copy ... docker-archive:/dev/stdout | ...</c>): a link to
    /// /proc/self/fd/1, whose own target ("pipe:[N]") names no file. The output goes down the pipe
    /// the link leads to, and the link stays a link.
    /// </summary>
    [Theory]
    [InlineData("copy", "docker-archive:{0}")]
    [InlineData("export", "{0}")]
    public async Task A_link_to_a_pipe_such_as_dev_stdout_is_written_into(string verb, string form)
    {
        var expected = await WrittenToAFileAsync(verb, form);
        using var pipe = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.In);
        using var writeEnd = pipe.ClientSafePipeHandle;
        var link = _dir.Combine("stdout");
        File.CreateSymbolicLink(link, $"/proc/self/fd/{writeEnd.DangerousGetHandle()}");
        var reading = Task.Run(async () =>
        {
            using var received = new MemoryStream();
            var buffer = new byte[65536];
            // The test holds the write end too, so the pipe never ends: read as many bytes as a file holds.
            while (received.Length < expected.Length)
            {
                var n = await pipe.ReadAsync(buffer);
                if (n == 0) break;
                received.Write(buffer, 0, n);
            }
            return received.ToArray();
        });

        var (code, output, error) = await RunAsync(verb, "scratch", Destination(form, link));

        Assert.Equal((0, "", ""), (code, output, error));
        Assert.Equal(expected, await reading.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(HostFileKind.SymbolicLink, HostFileInfo.Read(link).Kind);
    }

    /// <summary>
    /// A character device such as /dev/null (here a node of the same device made in the test's
    /// directory, so that a regression cannot break the machine's) is written into and stays a
    /// device, where as root the rename made /dev/null a regular file.
    /// </summary>
    [Theory]
    [InlineData("copy", "docker-archive:{0}")]
    [InlineData("export", "{0}")]
    public async Task A_character_device_such_as_dev_null_is_written_into_and_left_a_device(string verb, string form)
    {
        var device = _dir.Combine("null");
        LayerTestSupport.Run("mknod", device, "c", "1", "3");

        var (code, output, error) = await RunAsync(verb, "scratch", Destination(form, device));

        Assert.Equal((0, "", ""), (code, output, error));
        Assert.Equal(HostFileKind.CharacterDevice, HostFileInfo.Read(device).Kind);
    }

    /// <summary>What <paramref name="verb"/> writes of scratch into a plain file.</summary>
    private async Task<byte[]> WrittenToAFileAsync(string verb, string form)
    {
        var file = _dir.Combine($"plain-{Guid.NewGuid():N}");
        Assert.Equal(0, (await RunAsync(verb, "scratch", Destination(form, file))).ExitCode);
        return await File.ReadAllBytesAsync(file);
    }

    [Theory]
    [InlineData("copy", "docker-archive:{0}")]
    [InlineData("copy", "oci-archive:{0}")]
    [InlineData("export", "{0}")]
    public async Task A_directory_or_the_root_is_named_as_one(string verb, string form)
    {
        var (code, _, error) = await RunAsync(verb, "scratch", Destination(form, _dir.Path));
        Assert.Equal((1, $"dockerless: cannot write {_dir.Path}: it is a directory"), (code, error.Trim()));

        (code, _, error) = await RunAsync(verb, "scratch", Destination(form, "/"));
        Assert.Equal((1, "dockerless: cannot write /: it is a directory"), (code, error.Trim()));
    }

    [Fact]
    public async Task An_oci_layout_at_the_root_is_refused_as_not_a_layout()
    {
        var (code, _, error) = await RunAsync("copy", "scratch", "oci:/");
        Assert.Equal((1, "dockerless: /: exists and is not an OCI image layout (it has no oci-layout file)"), (code, error.Trim()));
    }

    [Fact]
    public async Task An_empty_output_path_says_so()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Dockerless.Archives.AtomicOutput.WriteFileAsync("", _ => Task.CompletedTask, default));
        Assert.StartsWith("the output path is empty", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("copy", "docker-archive:{0}")]
    [InlineData("export", "{0}")]
    public async Task A_symlink_is_written_through_and_stays_a_link(string verb, string form)
    {
        var real = _dir.WriteFile("real.tar", "old");
        var link = _dir.Combine("link.tar");
        File.CreateSymbolicLink(link, "real.tar");

        var (code, _, error) = await RunAsync(verb, "scratch", Destination(form, link));

        Assert.Equal((0, ""), (code, error));
        Assert.Equal("real.tar", new FileInfo(link).LinkTarget);
        Assert.NotEqual("old", File.ReadAllText(real));
        Assert.Equal(["link.tar", "real.tar"], Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    public void Dispose() => _dir.Dispose();
}
