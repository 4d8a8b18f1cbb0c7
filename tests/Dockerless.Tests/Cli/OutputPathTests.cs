using Dockerless.Cli;
using Dockerless.Layers;
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

    /// <summary>A fifo stands for a device too (/dev/null): the rename put the archive in its place.</summary>
    [Theory]
    [InlineData("copy", "docker-archive:{0}")]
    [InlineData("copy", "oci-archive:{0}")]
    [InlineData("export", "{0}")]
    public async Task A_fifo_is_refused_and_left_a_fifo(string verb, string form)
    {
        var fifo = _dir.Combine("pipe");
        LayerTestSupport.Run("mkfifo", fifo);

        var (code, output, error) = await RunAsync(verb, "scratch", Destination(form, fifo));

        Assert.Equal((1, ""), (code, output));
        Assert.Equal($"dockerless: cannot write {fifo}: it is a fifo, not a regular file", error.Trim());
        Assert.Equal(HostFileKind.Fifo, HostFileInfo.Read(fifo).Kind);
    }

    /// <summary>
    /// /dev/stdout on a pipe: a link to /proc/self/fd/1, whose own target ("pipe:[N]") names no
    /// file. What the link leads to is a fifo, refused as one, not "Could not find file 'pipe:[N]'".
    /// </summary>
    [Theory]
    [InlineData("copy", "docker-archive:{0}")]
    [InlineData("export", "{0}")]
    public async Task A_link_to_a_pipe_such_as_dev_stdout_is_refused_as_a_fifo(string verb, string form)
    {
        using var pipe = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.Out);
        var link = _dir.Combine("stdout");
        File.CreateSymbolicLink(link, $"/proc/self/fd/{pipe.SafePipeHandle.DangerousGetHandle()}");

        var (code, output, error) = await RunAsync(verb, "scratch", Destination(form, link));

        Assert.Equal((1, ""), (code, output));
        Assert.StartsWith($"dockerless: cannot write {link} (a link to /proc/self/fd/pipe:[", error.Trim(), StringComparison.Ordinal);
        Assert.EndsWith("]): it is a fifo, not a regular file", error.Trim(), StringComparison.Ordinal);
        Assert.Equal(HostFileKind.SymbolicLink, HostFileInfo.Read(link).Kind);
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
