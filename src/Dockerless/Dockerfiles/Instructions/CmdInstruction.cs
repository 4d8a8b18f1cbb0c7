namespace Dockerless.Dockerfiles;

/// <summary><c>CMD</c>: the image's default command (or arguments to its ENTRYPOINT).</summary>
/// <param name="node">The parsed instruction.</param>
/// <param name="command">The command; empty arguments for <c>CMD []</c>.</param>
public sealed class CmdInstruction(DockerfileNode node, CommandLine command) : Instruction(node)
{
    /// <summary>The command; empty arguments for <c>CMD []</c> (an empty Cmd, not none).</summary>
    public CommandLine Command { get; } = command;
}
