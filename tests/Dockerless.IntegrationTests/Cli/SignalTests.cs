using System.Diagnostics;
using Dockerless.IntegrationTests.Fixtures;
using Dockerless.IntegrationTests.Reliability;

namespace Dockerless.IntegrationTests.Cli;

/// <summary>
/// Ctrl+C (SIGINT) or SIGTERM in the middle of a pull: the tool stops the transfer, removes what
/// it had half written, says why in one line and exits as shells report the signal (130, 143).
/// The blob is held at a loopback proxy in front of the real registry until the signal comes.
/// </summary>
[Collection(Isolated.Name)]
public sealed class SignalTests
{
    [Theory]
    [InlineData("INT", 130, "interrupted", "docker-archive")]
    [InlineData("TERM", 143, "terminated", "docker-archive")]
    [InlineData("INT", 130, "interrupted", "oci")]
    public async Task A_signal_mid_pull_stops_it_and_leaves_no_output(string signal, int exitCode, string message, string format)
    {
        using var output = new TempDirectory();
        using var temp = new PrivateTempPath();
        await using var server = await RegistryProcess.StartAsync();
        await using var layer = await TempLayer.CreateLargeAsync(8_000_000, seed: 51);
        await using (var image = Image.Scratch("signal/app", "v1"))
        {
            image.AddLayer(layer);
            await using var direct = new Registry($"http://{server.Host}");
            await direct.PushImageAsync(image);
        }
        await using var proxy = LoopbackProxy.Start($"http://{server.Host}");
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        proxy.Intercept = async (context, _) =>
        {
            if (context.Request.HttpMethod != "GET" || !context.Request.Url!.AbsolutePath.EndsWith(layer.Digest.ToString(), StringComparison.Ordinal)) return false;
            held.TrySetResult();
            await Task.Delay(TimeSpan.FromSeconds(60));
            return false;
        };
        var target = Path.Combine(output.Path, format == "oci" ? "layout" : "image.tar");
        var host = new Uri(proxy.Address).Authority;

        var result = await CliTool.RunAsync(["pull", $"{host}/signal/app:v1", $"{format}:{target}", "--insecure", host, "-q"], whileRunning: async process =>
        {
            await held.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await SendAsync(process, signal);
        });

        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.Equal($"dockerless: {message}", result.Error.Trim());
        Assert.Empty(Directory.EnumerateFileSystemEntries(output.Path));
        Assert.Empty(temp.DockerlessFiles());
    }

    /// <summary>Sends SIGINT, SIGTERM, ... (named without SIG) to a process, with <c>kill</c>.</summary>
    internal static Task SendAsync(Process process, string signal)
        => Peer.RunAsync("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
}
