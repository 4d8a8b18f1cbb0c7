namespace Dockerless.Dockerfiles;

/// <summary><c>ENTRYPOINT</c>: the image's entrypoint; it also clears a CMD inherited from the base.</summary>
/// <param name="node">The parsed instruction.</param>
/// <param name="command">The entrypoint; empty arguments for <c>ENTRYPOINT []</c>.</param>
public sealed class EntrypointInstruction(DockerfileNode node, CommandLine command) : Instruction(node)
{
    /// <summary>The entrypoint; empty arguments for <c>ENTRYPOINT []</c>, which BuildKit writes as no entrypoint at all.</summary>
    public CommandLine Command { get; } = command;
}
