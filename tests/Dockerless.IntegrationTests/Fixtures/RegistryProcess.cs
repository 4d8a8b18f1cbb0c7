using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Dockerless.IntegrationTests.Fixtures;

/// <summary>How to start a <see cref="RegistryProcess"/>.</summary>
public sealed record RegistryProcessOptions
{
    /// <summary>Users for htpasswd (Basic) auth; empty for none.</summary>
    public IReadOnlyDictionary<string, string> HtpasswdUsers { get; init; } = new Dictionary<string, string>();

    /// <summary>Serve TLS with this certificate and key (PEM paths).</summary>
    public (string Certificate, string Key)? Tls { get; init; }

    /// <summary>A top-level YAML <c>auth:</c> section (for example <see cref="TokenServer.RegistryAuthYaml"/>).</summary>
    public string? AuthYaml { get; init; }

    /// <summary>Keep the storage in memory instead of a temporary directory.</summary>
    public bool InMemory { get; init; }

    /// <summary>Accept manifests whose non-distributable layers list http(s) URLs (refused unless allowed).</summary>
    public bool AllowForeignLayerUrls { get; init; }
}

/// <summary>
/// The real distribution registry (<c>docker-registry</c>, v2.8) on a free loopback port, with
/// a config file of its own, delete enabled and the access log on: <see cref="AccessLogAsync"/>
/// holds one combined-format line per request (with the response size), which tests read to
/// prove which blobs were or were not downloaded.
/// </summary>
public sealed partial class RegistryProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly ConcurrentQueue<string> _accessLog = new();
    private readonly ConcurrentQueue<string> _output = new();
    private readonly bool _tls;

    private RegistryProcess(Process process, string directory, bool tls)
    {
        _process = process;
        _directory = directory;
        _tls = tls;
    }

    /// <summary>The port the registry listens on.</summary>
    public int Port { get; private set; }

    /// <summary><c>127.0.0.1:PORT</c>.</summary>
    public string Host => $"127.0.0.1:{Port}";

    /// <summary>The URL of <paramref name="path"/> on the registry, over HTTPS when it serves TLS.</summary>
    public Uri Url(string path) => new($"{(_tls ? "https" : "http")}://{Host}{path}");

    /// <summary>
    /// The access log up to now. The registry writes a line after it answered, so a client can
    /// be done before its line appears: this first sends a marker request and waits for its line.
    /// </summary>
    public async Task<IReadOnlyList<string>> AccessLogAsync()
    {
        if (_tls) throw new NotSupportedException("the access log is synchronised over plain HTTP only");
        var marker = Guid.NewGuid().ToString("N");
        using (var client = new HttpClient())
        using (await client.GetAsync($"http://{Host}/v2/?sync={marker}"))
        {
        }
        for (var attempt = 0; !_accessLog.Any(l => l.Contains(marker, StringComparison.Ordinal)); attempt++)
        {
            if (attempt == 500) throw new TimeoutException("the registry did not log the marker request");
            await Task.Delay(10);
        }
        return [.. _accessLog.Where(l => !l.Contains("/v2/?sync=", StringComparison.Ordinal))];
    }

    /// <summary>The lines of <paramref name="log"/> for GET requests that sent <paramref name="digest"/>'s blob body.</summary>
    public static IReadOnlyList<string> BlobBodies(IReadOnlyList<string> log, Digest digest)
        => [.. log.Where(l => l.Contains("\"GET /v2/", StringComparison.Ordinal) && l.Contains($"/blobs/{digest} ", StringComparison.Ordinal) && !l.Contains("\" 307 ", StringComparison.Ordinal))];

    /// <summary>Starts a registry and waits until <c>/v2/</c> answers.</summary>
    public static async Task<RegistryProcess> StartAsync(RegistryProcessOptions? options = null)
    {
        options ??= new RegistryProcessOptions();
        var program = Peer.Require("docker-registry");
        var directory = Directory.CreateTempSubdirectory("dockerless-registry-").FullName;
        var config = new StringBuilder();
        config.AppendLine("version: 0.1");
        config.AppendLine("log: {level: info, accesslog: {disabled: false}}");
        config.AppendLine("storage:");
        config.AppendLine(options.InMemory ? "  inmemory: {}" : "  filesystem: {rootdirectory: " + Path.Combine(directory, "data") + "}");
        config.AppendLine("  delete: {enabled: true}");
        config.AppendLine("http:");
        config.AppendLine("  addr: 127.0.0.1:0");
        config.AppendLine("  secret: dockerless-test-secret");
        if (options.Tls is { } tls) config.AppendLine(CultureInfo.InvariantCulture, $"  tls: {{certificate: {tls.Certificate}, key: {tls.Key}}}");
        if (options.HtpasswdUsers.Count > 0)
        {
            var htpasswd = Path.Combine(directory, "htpasswd");
            var lines = new StringBuilder();
            foreach (var (user, password) in options.HtpasswdUsers)
            {
                lines.Append(await Peer.RunAsync("htpasswd", ["-Bbn", user, password]));
            }
            await File.WriteAllTextAsync(htpasswd, lines.ToString());
            config.AppendLine(CultureInfo.InvariantCulture, $"auth: {{htpasswd: {{realm: test-realm, path: {htpasswd}}}}}");
        }
        else if (options.AuthYaml is { } auth)
        {
            config.Append(auth);
        }
        if (options.AllowForeignLayerUrls) config.AppendLine("validation: {manifests: {urls: {allow: ['^https?://']}}}");
        var configPath = Path.Combine(directory, "config.yml");
        await File.WriteAllTextAsync(configPath, config.ToString());

        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("serve");
        psi.ArgumentList.Add(configPath);
        var process = Process.Start(psi)!;
        var registry = new RegistryProcess(process, directory, options.Tls is not null);
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null) return;
            if (line.StartsWith("127.0.0.1 - ", StringComparison.Ordinal)) registry._accessLog.Enqueue(line);
            else registry._output.Enqueue(line);
            if (ListeningLine().Match(line) is { Success: true } m) listening.TrySetResult(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"docker-registry exited early:\n{string.Join('\n', registry._output)}"));
        try
        {
            registry.Port = await listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await registry.WaitReadyAsync(options.Tls is not null);
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }
        return registry;
    }

    /// <summary>Waits for <c>/v2/</c> to answer (any status); a TLS registry is only waited for its port, the test's client checks the certificate.</summary>
    private async Task WaitReadyAsync(bool tls)
    {
        using var client = new HttpClient();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (tls)
                {
                    using var tcp = new TcpClient();
                    await tcp.ConnectAsync("127.0.0.1", Port);
                }
                else
                {
                    using var response = await client.GetAsync($"http://{Host}/v2/");
                }
                return;
            }
            catch (Exception e) when (e is HttpRequestException or SocketException && attempt < 100)
            {
                await Task.Delay(50);
            }
        }
    }

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();

    /// <summary>Stops the registry and deletes its storage and config.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // The registry may still be closing files; the temp directory is cleaned by the OS eventually.
        }
    }
}
