namespace Dockerless.Dockerfiles;

/// <summary><c>ARG name[=default] ...</c>: declares build arguments.</summary>
/// <param name="node">The parsed instruction.</param>
/// <param name="arguments">The declarations, in order.</param>
public sealed class ArgInstruction(DockerfileNode node, IReadOnlyList<ArgDeclaration> arguments) : Instruction(node)
{
    /// <summary>The declarations, in order.</summary>
    public IReadOnlyList<ArgDeclaration> Arguments { get; } = arguments;
}

/// <summary>One build argument of an ARG instruction.</summary>
/// <param name="Name">The name as written (not expanded).</param>
/// <param name="DefaultValue">The default after <c>=</c> as written (not expanded; may be empty), or null when there is no <c>=</c>.</param>
public sealed record ArgDeclaration(string Name, string? DefaultValue);
