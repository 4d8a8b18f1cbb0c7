namespace Dockerless.Running;

/// <summary>No OCI runtime (runc, crun) was found, or nothing at all to run a container with.</summary>
public sealed class RuntimeNotFoundException : DockerlessException
{
    /// <summary>Creates the exception naming every program that was looked for and what to install.</summary>
    public RuntimeNotFoundException(IReadOnlyList<string> lookedFor, string install)
        : base($"{(lookedFor.Count > 2 ? "nothing to run a container with" : "no OCI runtime found")}: looked for {string.Join(", ", lookedFor.SkipLast(1))}{(lookedFor.Count > 1 ? " and " : "")}{lookedFor[^1]} on PATH; {install}")
    {
        LookedFor = lookedFor;
    }

    /// <summary>The programs that were looked for.</summary>
    public IReadOnlyList<string> LookedFor { get; }
}

/// <summary>
/// The run's settings do not fit the image: a user or group its /etc/passwd or /etc/group lacks,
/// no command to run, a mount that cannot be made. Nothing was started.
/// </summary>
public sealed class ContainerConfigurationException : DockerlessException
{
    /// <summary>Creates the exception with a message naming the setting and what is wrong with it.</summary>
    public ContainerConfigurationException(string message) : base(message) { }
}

/// <summary>
/// The OCI runtime could not start the container's process. <see cref="ExitCode"/> is what
/// <c>docker run</c> exits with then: 127 when the command is not found, 126 when it cannot be
/// executed, 125 for any other failure of the runtime.
/// </summary>
public sealed class ContainerStartException : DockerlessException
{
    /// <summary>Creates the exception from the runtime's name and its own error message.</summary>
    public ContainerStartException(string runtime, string message)
        : base($"{runtime} could not start the container: {message}")
    {
        var exec = message.Contains("exec", StringComparison.OrdinalIgnoreCase);
        ExitCode = exec && (message.Contains("not found", StringComparison.OrdinalIgnoreCase) || message.Contains("no such file", StringComparison.OrdinalIgnoreCase)) ? 127
            : exec && message.Contains("permission denied", StringComparison.OrdinalIgnoreCase) ? 126
            : 125;
    }

    /// <summary>The exit code docker gives this failure: 125, 126 or 127.</summary>
    public int ExitCode { get; }
}
