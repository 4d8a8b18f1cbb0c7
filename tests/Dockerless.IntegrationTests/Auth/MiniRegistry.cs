using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Auth;

/// <summary>
/// Just enough of a docker-registry launcher to prove the auth fixtures (<see cref="TokenServer"/>,
/// <see cref="TestCertificates"/>) with raw HTTP: in-memory storage, a free loopback port, extra
/// config. The registry client's tests use the registry work's own fixture.
/// </summary>
internal sealed partial class MiniRegistry : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private MiniRegistry(Process process, string directory, Uri root)
    {
        _process = process;
        _directory = directory;
        Root = root;
    }

    /// <summary>The registry's base URL.</summary>
    public Uri Root { get; }

    /// <summary>The URL of <paramref name="path"/> on the registry.</summary>
    public Uri Url(string path) => new(Root, path);

    /// <summary>
    /// Starts <c>docker-registry serve</c>; <paramref name="topLevelYaml"/> is appended to the config
    /// (an <c>auth:</c> section), <paramref name="tls"/> turns on HTTPS with that server certificate.
    /// </summary>
    public static async Task<MiniRegistry> StartAsync(string topLevelYaml = "", TestCertificates? tls = null)
    {
        var directory = Directory.CreateTempSubdirectory("dockerless-minireg-").FullName;
        var config = Path.Combine(directory, "config.yml");
        var http = "http:\n  addr: 127.0.0.1:0\n"
                   + (tls is null ? "" : $"  tls:\n    certificate: {tls.ServerCertificatePath}\n    key: {tls.ServerKeyPath}\n");
        await File.WriteAllTextAsync(config, "version: 0.1\nlog: {level: info, accesslog: {disabled: true}}\nstorage:\n  inmemory: {}\n" + http + topLevelYaml);
        var start = new ProcessStartInfo(Peer.Require("docker-registry"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        var process = Process.Start(start)!;
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new StringBuilder();
        void OnLine(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (log) log.AppendLine(e.Data);
            if (ListeningLine().Match(e.Data) is { Success: true } m) listening.TrySetResult(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        }
        process.ErrorDataReceived += OnLine;
        process.OutputDataReceived += OnLine;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        var exited = process.WaitForExitAsync();
        if (await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(30))) != listening.Task)
        {
            if (!process.HasExited) process.Kill();
            process.Dispose();
            Directory.Delete(directory, recursive: true);
            lock (log) throw new InvalidOperationException($"docker-registry did not start:\n{log}");
        }
        var scheme = tls is null ? "http" : "https";
        var registry = new MiniRegistry(process, directory, new Uri($"{scheme}://127.0.0.1:{await listening.Task}/"));
        await registry.WaitReadyAsync(tls);
        return registry;
    }

    /// <summary>Stops the registry and deletes its files.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Waits until /v2/ answers at all, so that the registry is up before a test (or a SIGTERM) reaches it.</summary>
    private async Task WaitReadyAsync(TestCertificates? tls)
    {
        using var http = new HttpClient(tls is null ? new SocketsHttpHandler() : tls.TrustingHandler());
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(Url("/v2/"));
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }
    }

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();
}
