using System.Diagnostics;
using System.Text;

namespace Dockerless.IntegrationTests.Fixtures;

/// <summary>
/// Finds and runs the real programs the integration tests talk to. A missing program fails the
/// test with the command that installs it; it never lets a test pass silently.
/// </summary>
public static class Peer
{
    /// <summary>The Debian package that ships each peer program.</summary>
    private static readonly Dictionary<string, string> Packages = new(StringComparer.Ordinal)
    {
        ["docker-registry"] = "docker-registry",
        ["htpasswd"] = "apache2-utils",
        ["skopeo"] = "skopeo",
        ["umoci"] = "umoci",
        ["oci-image-tool"] = "oci-image-tool",
        ["dockerd"] = "docker.io",
        ["docker"] = "docker.io",
        ["podman"] = "podman runc conmon fuse-overlayfs uidmap slirp4netns catatonit",
        ["busybox"] = "busybox-static",
        ["openssl"] = "openssl",
        ["jq"] = "jq",
        ["useradd"] = "passwd",
        ["usermod"] = "passwd",
        ["newuidmap"] = "uidmap",
        ["setpriv"] = "util-linux",
        ["flock"] = "util-linux",
        ["tar"] = "tar",
        ["strace"] = "strace",
        ["mount"] = "mount",
        ["umount"] = "mount",
        ["bzip2"] = "bzip2",
        ["xz"] = "xz-utils",
        ["buildah"] = "buildah",
        ["runc"] = "runc",
        ["crun"] = "crun",
        ["script"] = "bsdutils",
        ["dpkg-query"] = "dpkg",
        ["python3"] = "python3",
        ["npm"] = "npm",
        [SeccompProfile] = "golang-github-containers-common",
    };

    /// <summary>The seccomp profile <c>run</c> applies, as podman does (docs/run.md).</summary>
    public const string SeccompProfile = "/usr/share/containers/seccomp.json";

    /// <summary>The full path of <paramref name="program"/>, or a failure saying how to install it.</summary>
    public static string Require(string program)
    {
        if (program.StartsWith('/') && File.Exists(program)) return program;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin", "/bin"]))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate)) return candidate;
        }
        var package = Packages.GetValueOrDefault(program, program);
        throw new InvalidOperationException(
            $"the test needs '{program}', which is not installed: run `apt-get install -y --no-install-recommends {package}` (or scripts/test.sh, which installs every peer)");
    }

    /// <summary>Runs a peer to completion; throws with its output when it exits non-zero.</summary>
    public static async Task<string> RunAsync(string program, IEnumerable<string> args, IDictionary<string, string>? env = null, string? stdin = null, TimeSpan? timeout = null)
    {
        var result = await TryRunAsync(program, args, env, stdin, timeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {result.ExitCode}:\n{result.Output}");
        }
        return result.Output;
    }

    /// <summary>Runs a peer to completion and returns its exit code and combined output.</summary>
    public static async Task<(int ExitCode, string Output)> TryRunAsync(string program, IEnumerable<string> args, IDictionary<string, string>? env = null, string? stdin = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(Require(program))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null)
        {
            foreach (var (k, v) in env) psi.Environment[k] = v;
        }
        using var process = Process.Start(psi)!;
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in time");
        }
        output.Append(await stdout).Append(await stderr);
        return (process.ExitCode, output.ToString());
    }
}
