using Dockerless.Running;
using Microsoft.Extensions.Logging;

namespace Dockerless.Engines;

/// <summary>
/// How <see cref="Image.RunAsync(IEnumerable{string}, RunOptions?, CancellationToken)"/> and
/// <see cref="OciRuntime.RunAsync"/> run a container. The names follow <c>docker run</c>'s flags.
/// </summary>
public sealed record RunOptions
{
    /// <summary>
    /// The engine CLI to use (<c>docker</c> or <c>podman</c>). When neither this nor
    /// <see cref="Runtime"/> is set, the first of docker and podman found on PATH runs the image,
    /// or else an OCI runtime (runc, then crun) by itself.
    /// </summary>
    public string? Engine { get; init; }

    /// <summary>
    /// Runs the image without any engine, with this OCI runtime: <c>runc</c>, <c>crun</c> (found on
    /// PATH) or the path of a runtime binary. Null leaves the choice to <see cref="Engine"/>.
    /// </summary>
    public string? Runtime { get; init; }

    /// <summary>The container's network mode; <c>none</c> unless told otherwise (<c>host</c>, or with an engine a network name).</summary>
    public string Network { get; init; } = "none";

    /// <summary>
    /// Keeps what the run made instead of removing it: with an engine the container and the image
    /// under the run's own name (<c>localhost/dockerless-run:&lt;random&gt;</c>); with a runtime the
    /// bundle (config.json, the root filesystem and the files mounted into it), named in
    /// <see cref="RunResult.BundleDirectory"/>.
    /// </summary>
    public bool Keep { get; init; }

    /// <summary>Variables set in the container (<c>-e NAME=VALUE</c>), over the image's Env; a bare <c>NAME</c> unsets one.</summary>
    public IReadOnlyList<string> Environment { get; init; } = [];

    /// <summary>Host paths mounted into the container (<c>-v</c>).</summary>
    public IReadOnlyList<BindMount> Mounts { get; init; } = [];

    /// <summary>Empty tmpfs mounts (<c>--tmpfs PATH[:OPTIONS]</c>, mounted noexec, nosuid, nodev plus the options given).</summary>
    public IReadOnlyList<string> Tmpfs { get; init; } = [];

    /// <summary>The working directory (<c>-w</c>, absolute), made when the image lacks it; the image's WorkingDir when null.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The user (<c>-u name</c>, <c>name:group</c>, <c>uid</c>, <c>uid:gid</c>), looked up in the image's /etc/passwd and /etc/group; the image's User when null.</summary>
    public string? User { get; init; }

    /// <summary>Replaces the image's Entrypoint and drops its Cmd (<c>--entrypoint</c>; empty leaves only the command given); null keeps both.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>The container's host name (<c>--hostname</c>); twelve random hex digits by default, as docker's container ids.</summary>
    public string? Hostname { get; init; }

    /// <summary>Mounts the root filesystem read-only (<c>--read-only</c>).</summary>
    public bool ReadOnly { get; init; }

    /// <summary>What the container reads on its standard input (<c>-i</c>); null gives it an empty input.</summary>
    public Stream? StandardInput { get; init; }

    /// <summary>
    /// Gives the container a terminal (<c>-t</c>): the engine or runtime then takes this process's
    /// own standard input, output and error, which should be a terminal, and
    /// <see cref="StandardInput"/>, <see cref="StandardOutput"/> and <see cref="StandardError"/> are not used.
    /// </summary>
    public bool Terminal { get; init; }

    /// <summary>Forwards signals to the container while it runs; cancelling the run kills it (SIGKILL) instead.</summary>
    public ContainerSignals? Signals { get; init; }

    /// <summary>How an OCI runtime run makes the root filesystem from the cached layers: an overlay where it can (the default), or a copy.</summary>
    public RootFilesystemMode RootFilesystem { get; init; }

    /// <summary>
    /// Where an OCI runtime run keeps the image's unpacked layers, so that the next run does not
    /// unpack them again, and its bundles while they run; <c>$XDG_CACHE_HOME/dockerless</c> (or
    /// <c>~/.cache/dockerless</c>) when null.
    /// </summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Where warnings go, such as a failure to remove the run's image name at the end (which does not fail the run).</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Where the container's standard output is streamed as it comes, besides <see cref="RunResult.Output"/>.</summary>
    public Stream? StandardOutput { get; init; }

    /// <summary>Where the container's standard error is streamed as it comes, besides <see cref="RunResult.Output"/>.</summary>
    public Stream? StandardError { get; init; }

    /// <summary>
    /// Collects the container's output into <see cref="RunResult.Output"/> (true by default). Turn it
    /// off when the output is streamed and may be large, to keep memory flat.
    /// </summary>
    public bool CaptureOutput { get; init; } = true;
}

/// <summary>What a container run gave: its exit code and its output (standard output, then standard error).</summary>
/// <param name="ExitCode">The container's own exit code; 128 + N when signal N ended it.</param>
/// <param name="Output">Its standard output followed by its standard error, as UTF-8 text (empty when not captured).</param>
public sealed record RunResult(int ExitCode, string Output)
{
    /// <summary>The bundle an OCI runtime run kept (<see cref="RunOptions.Keep"/>); null otherwise.</summary>
    public string? BundleDirectory { get; init; }
}
