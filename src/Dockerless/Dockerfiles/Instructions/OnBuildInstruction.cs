namespace Dockerless.Dockerfiles;

/// <summary><c>ONBUILD instruction</c>: an instruction to run when the image is used as a base.</summary>
/// <param name="node">The parsed instruction.</param>
/// <param name="expression">The trigger's text.</param>
public sealed class OnBuildInstruction(DockerfileNode node, string expression) : Instruction(node)
{
    /// <summary>
    /// The trigger as the image config stores it: the text after <c>ONBUILD</c>, followed by each
    /// heredoc's body and delimiter on new lines, so that it parses again as a Dockerfile line.
    /// </summary>
    public string Expression { get; } = expression;

    /// <summary>The registered instruction, parsed.</summary>
    public DockerfileNode Trigger => Node.Trigger!;
}
