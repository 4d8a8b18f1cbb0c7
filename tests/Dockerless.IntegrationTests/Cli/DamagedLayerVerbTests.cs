using System.Text;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Cli;

/// <summary>Export and flatten of a docker-archive whose layer bytes were altered fail and write nothing.</summary>
public class DamagedLayerVerbTests
{
    private static readonly string Sample = Path.Combine(CliTool.RepositoryRoot, "samples", "hello");

    [Fact]
    public async Task Export_and_flatten_of_an_altered_layer_fail_and_leave_no_output()
    {
        using var dir = new TempDirectory();
        var archive = dir["app.tar"];
        await CliTool.SucceedAsync(["build", Sample, "-t", $"docker-archive:{archive}:app:1", "--to-path", "/app"]);
        // The layer.tar is stored uncompressed: flip the case of a file's text, which keeps every length and tar header valid.
        var message = Encoding.ASCII.GetBytes(await File.ReadAllTextAsync(Path.Combine(Sample, "message.txt")));
        var bytes = await File.ReadAllBytesAsync(archive);
        var at = bytes.AsSpan().IndexOf(message);
        Assert.True(at >= 0, "the sample's text is not in the archive");
        Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(message).ToUpperInvariant()).CopyTo(bytes, at);
        await File.WriteAllBytesAsync(archive, bytes);

        var export = await CliTool.RunAsync("export", $"docker-archive:{archive}", dir["fs.tar"]);
        var flatten = await CliTool.RunAsync("flatten", $"docker-archive:{archive}", "-t", $"docker-archive:{dir["flat.tar"]}");

        foreach (var result in new[] { export, flatten })
        {
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("digest", result.Error, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal([archive], Directory.GetFileSystemEntries(dir.Path));
    }
}
