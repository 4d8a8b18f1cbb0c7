using System.Diagnostics;
using System.Text.RegularExpressions;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Cli;

/// <summary>
/// A real docker-registry on a free loopback port for the CLI tests, optionally behind htpasswd
/// Basic auth. Stopped (by its own pid) and its data removed on dispose.
/// </summary>
public sealed partial class LocalRegistry : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _directory;

    private LocalRegistry(Process process, DirectoryInfo directory, string address)
    {
        _process = process;
        _directory = directory;
        Address = address;
    }

    /// <summary>HOST:PORT, such as 127.0.0.1:41234.</summary>
    public string Address { get; }

    public static async Task<LocalRegistry> StartAsync(string? user = null, string? password = null)
    {
        var registry = Peer.Require("docker-registry");
        var directory = Directory.CreateTempSubdirectory("dockerless-cli-registry-");
        var auth = "";
        if (user is not null && password is not null)
        {
            var htpasswd = await Peer.RunAsync("htpasswd", ["-Bbn", user, password]);
            var file = Path.Combine(directory.FullName, "htpasswd");
            await File.WriteAllTextAsync(file, htpasswd);
            auth = $"auth: {{htpasswd: {{realm: test-realm, path: {file}}}}}\n";
        }
        var config = Path.Combine(directory.FullName, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log: {"{"}level: info, accesslog: {"{"}disabled: true{"}"}{"}"}
            storage:
              filesystem: {"{"}rootdirectory: {Path.Combine(directory.FullName, "data")}{"}"}
              delete: {"{"}enabled: true{"}"}
            http:
              addr: 127.0.0.1:0
            {auth}
            """);
        var info = new ProcessStartInfo(registry) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("serve");
        info.ArgumentList.Add(config);
        var process = Process.Start(info)!;
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Watch(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is { } line && Listening().Match(line) is { Success: true } match) listening.TrySetResult(match.Groups[1].Value);
        }
        process.OutputDataReceived += Watch;
        process.ErrorDataReceived += Watch;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = await Task.WhenAny(listening.Task, Task.Delay(TimeSpan.FromSeconds(30)));
        if (started != listening.Task)
        {
            process.Kill();
            throw new InvalidOperationException("docker-registry did not say where it listens within 30 s");
        }
        var result = new LocalRegistry(process, directory, await listening.Task);
        await result.WaitReadyAsync();
        return result;
    }

    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient();
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://{Address}/v2/"));
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }
        throw new InvalidOperationException($"docker-registry at {Address} never answered /v2/");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _directory.Delete(recursive: true);
    }

    [GeneratedRegex(@"listening on (127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
