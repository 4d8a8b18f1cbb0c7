namespace Dockerless.Dockerfiles;

/// <summary>
/// One instruction of a Dockerfile with its arguments checked and sorted out as BuildKit's
/// frontend does before a build; arguments are still as written (not expanded).
/// </summary>
/// <param name="node">The parsed instruction this was made from.</param>
public abstract class Instruction(DockerfileNode node)
{
    /// <summary>The parsed instruction: keyword as written, flags, lines and comments.</summary>
    public DockerfileNode Node { get; } = node;

    /// <summary>The keyword in upper case (<c>RUN</c>).</summary>
    public string Name => Node.Instruction;

    /// <summary>The line (from 1) the instruction starts on.</summary>
    public int StartLine => Node.StartLine;

    /// <summary>The line it ends on, after continuation lines and heredoc bodies.</summary>
    public int EndLine => Node.EndLine;

    /// <summary>The instruction's source as one line (continuations joined), as BuildKit shows it in history and progress.</summary>
    public override string ToString() => Node.Original.Trim();
}
