using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Running;

/// <summary>What one container run printed, apart: its exit code, standard output and standard error.</summary>
public sealed record ContainerOutput(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";

    /// <summary>
    /// The output with what legitimately differs between two runs made the same: the container's
    /// host name (random in both, printed first by the probes as <c>@NAME@</c>), and the times and
    /// directory link counts <c>ls -l</c> shows (overlayfs counts a merged directory's links as 1,
    /// a plain directory has 2 plus its subdirectories).
    /// </summary>
    public ContainerOutput Normalized()
    {
        var stdout = Stdout;
        var match = Regex.Match(stdout, "^@([^@\n]*)@\n");
        if (match.Success)
        {
            stdout = stdout[match.Length..];
            if (match.Groups[1].Value.Length > 0) stdout = stdout.Replace(match.Groups[1].Value, "HOSTNAME", StringComparison.Ordinal);
        }
        stdout = Regex.Replace(stdout, @"[A-Z][a-z]{2} +\d+ +(\d\d:\d\d|\d{4}) ", "");
        stdout = Regex.Replace(stdout, @"(?m)^(d[rwxstST-]{9}) +\d+ ", "$1 N ");
        return this with { Stdout = stdout };
    }

    /// <summary>Runs the docker CLI against <paramref name="daemon"/>, its two output streams kept apart.</summary>
    public static async Task<ContainerOutput> DockerAsync(DockerDaemon daemon, IEnumerable<string> args, string? stdin = null)
    {
        var info = new ProcessStartInfo(Peer.Require("docker"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in daemon.Environment) info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new ContainerOutput(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs <paramref name="image"/> through the library with the options given, its two output streams kept apart.</summary>
    public static async Task<ContainerOutput> OursAsync(Image image, IEnumerable<string> command, RunOptions options, string? stdin = null)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var result = await image.RunAsync(command, options with
        {
            StandardOutput = stdout,
            StandardError = stderr,
            StandardInput = stdin is null ? null : new MemoryStream(Encoding.UTF8.GetBytes(stdin)),
            CaptureOutput = false,
        });
        return new ContainerOutput(result.ExitCode, Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }
}
