namespace Dockerless.Dockerfiles;

/// <summary><c>LABEL key=value ...</c> (or the legacy <c>LABEL key value</c>): sets image labels.</summary>
/// <param name="node">The parsed instruction.</param>
/// <param name="labels">The labels, in order.</param>
public sealed class LabelInstruction(DockerfileNode node, IReadOnlyList<KeyValue> labels) : Instruction(node)
{
    /// <summary>The labels, in order; expand each key and value.</summary>
    public IReadOnlyList<KeyValue> Labels { get; } = labels;
}
