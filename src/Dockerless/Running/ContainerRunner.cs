namespace Dockerless.Running;

/// <summary>
/// What runs a container under a <see cref="RunOptions"/>: an engine (docker, podman) or an OCI
/// runtime (runc, crun) by itself. Exactly one of the two is set.
/// </summary>
/// <param name="Engine">The engine, when the run goes through docker or podman.</param>
/// <param name="Runtime">The OCI runtime, when the run needs no engine.</param>
public sealed record ContainerRunner(ContainerEngine? Engine, OciRuntime? Runtime)
{
    /// <summary>
    /// <see cref="RunOptions.Runtime"/> when set, else <see cref="RunOptions.Engine"/> when set,
    /// else the first of docker and podman on PATH, else the first of runc and crun. Throws
    /// <see cref="RuntimeNotFoundException"/> or <see cref="EngineNotFoundException"/> naming what was
    /// looked for and what to install.
    /// </summary>
    public static ContainerRunner Find(RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Runtime is not null) return new ContainerRunner(null, OciRuntime.Find(options.Runtime));
        if (options.Engine is not null) return new ContainerRunner(ContainerEngine.Find(options.Engine), null);
        try
        {
            return new ContainerRunner(ContainerEngine.Find(), null);
        }
        catch (EngineNotFoundException)
        {
            return OciRuntime.TryFind(null) is { } runtime
                ? new ContainerRunner(null, runtime)
                : throw new RuntimeNotFoundException([.. ContainerEngine.KnownEngines, .. OciRuntime.KnownRuntimes], "install one (apt-get install runc)");
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Engine?.ToString() ?? Runtime!.ToString();
}
