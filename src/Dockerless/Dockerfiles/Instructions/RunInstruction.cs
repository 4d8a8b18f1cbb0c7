namespace Dockerless.Dockerfiles;

/// <summary><c>RUN [--mount=...] [--network=...] [--security=...] [--device=...] command</c>.</summary>
/// <param name="node">The parsed instruction.</param>
/// <param name="command">The command.</param>
/// <param name="mounts">The <c>--mount</c> values, as written.</param>
/// <param name="network">The <c>--network</c> value: <c>default</c>, <c>none</c> or <c>host</c>.</param>
/// <param name="security">The <c>--security</c> value: <c>sandbox</c> or <c>insecure</c>.</param>
/// <param name="devices">The <c>--device</c> values, as written.</param>
public sealed class RunInstruction(
    DockerfileNode node,
    CommandLine command,
    IReadOnlyList<string> mounts,
    string network,
    string security,
    IReadOnlyList<string> devices) : Instruction(node)
{
    /// <summary>The command; a shell form is expanded by the shell that runs it, not by the builder.</summary>
    public CommandLine Command { get; } = command;

    /// <summary>The <c>--mount</c> values as written (comma-separated <c>key=value</c> fields, expanded at build time).</summary>
    public IReadOnlyList<string> Mounts { get; } = mounts;

    /// <summary>The <c>--network</c> value: <c>default</c> (when not given), <c>none</c> or <c>host</c>.</summary>
    public string Network { get; } = network;

    /// <summary>The <c>--security</c> value: <c>sandbox</c> (when not given) or <c>insecure</c>.</summary>
    public string Security { get; } = security;

    /// <summary>The <c>--device</c> values as written.</summary>
    public IReadOnlyList<string> Devices { get; } = devices;

    /// <summary>
    /// The <c>--mount</c> values read and checked, each field value passed through
    /// <paramref name="expand"/> (the stage's ARG and ENV expansion) first. Faults are
    /// <see cref="DockerfileSyntaxException"/>s naming <paramref name="fileName"/> and this instruction's line.
    /// </summary>
    public IReadOnlyList<RunMount> ParseMounts(Func<string, string> expand, string fileName = DockerfileParser.DefaultFileName)
    {
        ArgumentNullException.ThrowIfNull(expand);
        try
        {
            return [.. Mounts.Select(spec => RunMountParser.Parse(spec, expand))];
        }
        catch (DockerfileSyntaxException e) when (e.IsUnplaced)
        {
            throw e.At(fileName, StartLine, EndLine);
        }
        catch (ShellExpansionException e)
        {
            throw new DockerfileSyntaxException(fileName, StartLine, EndLine, e.Message);
        }
    }
}
