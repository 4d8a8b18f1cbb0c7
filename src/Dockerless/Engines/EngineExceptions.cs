namespace Dockerless.Engines;

/// <summary>No container engine CLI (docker, podman) was found on PATH.</summary>
public sealed class EngineNotFoundException : DockerlessException
{
    /// <summary>Creates the exception naming every engine that was looked for.</summary>
    public EngineNotFoundException(IReadOnlyList<string> lookedFor)
        : base($"no container engine found: looked for {string.Join(" and ", lookedFor)} on PATH; install one (apt-get install docker.io, or podman) or pass --engine")
    {
        LookedFor = lookedFor;
    }

    /// <summary>The engine programs that were looked for.</summary>
    public IReadOnlyList<string> LookedFor { get; }
}

/// <summary>An engine CLI command (load, save, run, rmi) failed.</summary>
public sealed class EngineCommandException : DockerlessException
{
    /// <summary>Creates the exception from the command line (without secrets) and what the engine said.</summary>
    public EngineCommandException(string command, int exitCode, string message)
        : base($"`{command}` failed (exit code {exitCode}): {message}")
    {
        Command = command;
        ExitCode = exitCode;
    }

    /// <summary>The command that failed, such as <c>docker load</c>.</summary>
    public string Command { get; }

    /// <summary>The engine CLI's exit code.</summary>
    public int ExitCode { get; }
}
