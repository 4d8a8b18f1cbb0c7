using Microsoft.Extensions.Logging;

namespace Dockerless.Engines;

/// <summary>How <see cref="Image.RunAsync(IEnumerable{string}, RunOptions?, CancellationToken)"/> runs a container.</summary>
public sealed record RunOptions
{
    /// <summary>The engine CLI to use (<c>docker</c> or <c>podman</c>); null takes the first found on PATH, docker first.</summary>
    public string? Engine { get; init; }

    /// <summary>The container's network mode; <c>none</c> unless told otherwise (<c>host</c>, or a network name).</summary>
    public string Network { get; init; } = "none";

    /// <summary>
    /// Keeps the container afterwards instead of removing it, and the image under the run's own
    /// name (<c>localhost/dockerless-run:&lt;random&gt;</c>).
    /// </summary>
    public bool Keep { get; init; }

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
/// <param name="ExitCode">The container's own exit code.</param>
/// <param name="Output">Its standard output followed by its standard error, as UTF-8 text (empty when not captured).</param>
public sealed record RunResult(int ExitCode, string Output);
