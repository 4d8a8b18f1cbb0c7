namespace Dockerless.Dockerfiles;

/// <summary><c>EXPOSE port[/protocol] ...</c>: ports the container listens on.</summary>
/// <param name="node">The parsed instruction.</param>
/// <param name="ports">The ports as written, sorted as BuildKit sorts them.</param>
public sealed class ExposeInstruction(DockerfileNode node, IReadOnlyList<string> ports) : Instruction(node)
{
    /// <summary>The ports as written (<c>80</c>, <c>53/udp</c>, <c>$PORT</c>), sorted by ordinal order as BuildKit sorts them.</summary>
    public IReadOnlyList<string> Ports { get; } = ports;
}
