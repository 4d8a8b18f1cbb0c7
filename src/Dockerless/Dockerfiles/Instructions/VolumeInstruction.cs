namespace Dockerless.Dockerfiles;

/// <summary><c>VOLUME path ...</c> or <c>VOLUME ["path", ...]</c>: mount points.</summary>
/// <param name="node">The parsed instruction.</param>
/// <param name="volumes">The paths, trimmed, never empty.</param>
public sealed class VolumeInstruction(DockerfileNode node, IReadOnlyList<string> volumes) : Instruction(node)
{
    /// <summary>The paths as written, without surrounding white space.</summary>
    public IReadOnlyList<string> Volumes { get; } = volumes;
}
