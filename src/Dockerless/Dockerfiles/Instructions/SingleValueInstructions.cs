namespace Dockerless.Dockerfiles;

/// <summary><c>WORKDIR path</c>: the working directory, created when missing.</summary>
/// <param name="node">The parsed instruction.</param>
/// <param name="path">The path as written.</param>
public sealed class WorkdirInstruction(DockerfileNode node, string path) : Instruction(node)
{
    /// <summary>The path as written; a relative path is relative to the previous WORKDIR.</summary>
    public string Path { get; } = path;
}

/// <summary><c>USER user[:group]</c>: the user later instructions and the container run as.</summary>
/// <param name="node">The parsed instruction.</param>
/// <param name="user">The user as written.</param>
public sealed class UserInstruction(DockerfileNode node, string user) : Instruction(node)
{
    /// <summary>The user (and group) as written.</summary>
    public string User { get; } = user;
}

/// <summary><c>STOPSIGNAL signal</c>: the signal that stops the container.</summary>
/// <param name="node">The parsed instruction.</param>
/// <param name="signal">The signal as written.</param>
public sealed class StopSignalInstruction(DockerfileNode node, string signal) : Instruction(node)
{
    /// <summary>The signal as written (<c>SIGTERM</c>, <c>9</c>).</summary>
    public string Signal { get; } = signal;
}

/// <summary><c>MAINTAINER name</c> (deprecated): sets the image's author.</summary>
/// <param name="node">The parsed instruction.</param>
/// <param name="maintainer">The text after the keyword.</param>
public sealed class MaintainerInstruction(DockerfileNode node, string maintainer) : Instruction(node)
{
    /// <summary>The text after the keyword, as written; it is not expanded.</summary>
    public string Maintainer { get; } = maintainer;
}
