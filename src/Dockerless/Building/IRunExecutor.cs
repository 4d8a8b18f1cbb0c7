namespace Dockerless.Building;

/// <summary>
/// Runs a Dockerfile's RUN in a stage's root filesystem and returns what changed as a layer: the
/// seam an OCI runtime plugs into (<see cref="BuildOptions.RunExecutor"/>). The builder gives it
/// the stage as layers (read them lazily: a base in a registry is still there) and the command as
/// BuildKit would run it (SHELL applied, ENV and ARGs as its environment, USER, WORKDIR).
/// </summary>
public interface IRunExecutor
{
    /// <summary>
    /// Runs <paramref name="run"/>. Returns its changes (added, changed and deleted files,
    /// deletions as whiteouts) as a layer for the builder to build (file times, compression and the
    /// step cache are the build's), or null when it changed nothing. A command that fails
    /// throws <see cref="DockerfileBuildException"/> naming <see cref="RunStep.FileName"/>,
    /// <see cref="RunStep.Line"/>, the command and its exit code.
    /// </summary>
    Task<LayerBuilder?> RunAsync(RunStep run, CancellationToken cancellationToken = default);
}
