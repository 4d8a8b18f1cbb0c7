namespace Dockerless.Dockerfiles;

/// <summary><c>ENV key=value ...</c> (or the legacy <c>ENV key value</c>): sets environment variables.</summary>
/// <param name="node">The parsed instruction.</param>
/// <param name="variables">The variables, in order.</param>
public sealed class EnvInstruction(DockerfileNode node, IReadOnlyList<KeyValue> variables) : Instruction(node)
{
    /// <summary>The variables, in order; expand each key and value with the variables set before this instruction.</summary>
    public IReadOnlyList<KeyValue> Variables { get; } = variables;
}
