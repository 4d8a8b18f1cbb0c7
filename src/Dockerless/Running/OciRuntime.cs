using Dockerless.Unpacking;

namespace Dockerless.Running;

/// <summary>
/// An OCI runtime binary (<c>runc</c>, <c>crun</c>): runs a container from a root filesystem
/// directory without any daemon, as <c>docker run --rm</c> would run it. Linux only.
/// </summary>
public sealed class OciRuntime
{
    /// <summary>The runtimes looked for, in order, when none is named.</summary>
    public static IReadOnlyList<string> KnownRuntimes { get; } = ["runc", "crun"];

    /// <summary>Where runtimes live besides PATH: Debian puts runc in /usr/sbin, which an unprivileged user's PATH lacks.</summary>
    private static readonly string[] s_systemDirectories = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

    private OciRuntime(string name, string executable)
    {
        Name = name;
        Executable = executable;
    }

    /// <summary>The runtime's name: <c>runc</c>, <c>crun</c>, or the file name of the binary given by path.</summary>
    public string Name { get; }

    /// <summary>The full path of the runtime binary.</summary>
    public string Executable { get; }

    /// <summary>crun, which needs the unified cgroup hierarchy hidden on hybrid hosts (see <see cref="RuntimeInvocation"/>).</summary>
    internal bool IsCrun => Name.Contains("crun", StringComparison.Ordinal);

    /// <summary>
    /// Finds <paramref name="nameOrPath"/>: a name looked up on PATH (and in the sbin directories),
    /// a path to a binary, or when null the first of <see cref="KnownRuntimes"/>. Throws
    /// <see cref="RuntimeNotFoundException"/> naming what was looked for and what to install.
    /// </summary>
    public static OciRuntime Find(string? nameOrPath = null)
        => TryFind(nameOrPath) ?? throw new RuntimeNotFoundException(
            nameOrPath is null ? KnownRuntimes : [nameOrPath],
            "install one (apt-get install runc, or crun)");

    /// <summary>The runtime, or null when it is not installed.</summary>
    internal static OciRuntime? TryFind(string? nameOrPath)
    {
        if (nameOrPath is not null && nameOrPath.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(nameOrPath);
            return File.Exists(full) ? new OciRuntime(Path.GetFileName(full), full) : null;
        }
        IReadOnlyList<string> candidates = nameOrPath is null ? KnownRuntimes : [nameOrPath];
        var directories = (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Concat(s_systemDirectories);
        foreach (var candidate in candidates)
        {
            foreach (var directory in directories)
            {
                var file = Path.Combine(directory, candidate);
                if (File.Exists(file)) return new OciRuntime(candidate, file);
            }
        }
        return null;
    }

    /// <summary>
    /// Runs <paramref name="command"/> (the Entrypoint and Cmd of <paramref name="config"/> when
    /// empty) in <paramref name="rootFilesystem"/>, a root filesystem the caller prepared (an
    /// unpacked image, say), as <c>docker run --rm --network none</c> runs an image with that
    /// config: its Env, WorkingDir (made when missing) and User (looked up in the directory's
    /// /etc/passwd and /etc/group), docker's namespaces, capabilities, mounts and masked paths, and
    /// the <paramref name="options"/>. Output is streamed as it comes; the result holds the exit code
    /// (128 + N when signal N ended the process). The bundle (config.json and the /etc files mounted
    /// in) is made beside the cache and removed afterwards unless <see cref="RunOptions.Keep"/>; the
    /// directory itself is left as the process left it, with the mount points the runtime made.
    /// Not as root, a user namespace maps the caller to root inside. Throws
    /// <see cref="ContainerConfigurationException"/> for settings that do not fit the image and
    /// <see cref="ContainerStartException"/> when the runtime cannot start the process.
    /// </summary>
    public async Task<RunResult> RunAsync(string rootFilesystem, ContainerConfig config, IEnumerable<string> command, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootFilesystem);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(command);
        options ??= new RunOptions();
        var bundle = Bundle.Create(RunCache.Directory(options), options.Keep);
        await using (bundle.ConfigureAwait(false))
        {
            return await ContainerRun.RunAsync(this, rootFilesystem, config, [.. command], options, bundle, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether this process runs as root (else containers are rootless).</summary>
    internal static bool IsRoot => Syscalls.EffectiveUserId() == 0;

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Executable})";
}
