namespace Dockerless.Dockerfiles;

/// <summary><c>SHELL ["executable", "parameters"]</c>: the shell for the shell form of later instructions.</summary>
/// <param name="node">The parsed instruction.</param>
/// <param name="shell">The shell and its parameters.</param>
public sealed class ShellInstruction(DockerfileNode node, IReadOnlyList<string> shell) : Instruction(node)
{
    /// <summary>The shell and its parameters; never empty.</summary>
    public IReadOnlyList<string> Shell { get; } = shell;
}
