namespace Dockerless.Dockerfiles;

/// <summary>A parsed Dockerfile: its parser directives and its instructions in order, as <see cref="DockerfileParser"/> read them.</summary>
public sealed class Dockerfile
{
    internal Dockerfile(
        string fileName,
        IReadOnlyList<ParserDirective> directives,
        char escapeToken,
        IReadOnlyList<DockerfileNode> nodes,
        IReadOnlyList<DockerfileWarning> warnings)
    {
        FileName = fileName;
        Directives = directives;
        EscapeToken = escapeToken;
        Nodes = nodes;
        Warnings = warnings;
    }

    /// <summary>The name given to the parser, used in error messages.</summary>
    public string FileName { get; }

    /// <summary>The parser directives at the top of the file, in order.</summary>
    public IReadOnlyList<ParserDirective> Directives { get; }

    /// <summary>The escape character: <c>\</c>, or <c>`</c> after <c># escape=`</c>. Expansion of the arguments uses it too.</summary>
    public char EscapeToken { get; }

    /// <summary>The instructions, in order; never empty.</summary>
    public IReadOnlyList<DockerfileNode> Nodes { get; }

    /// <summary>What the parser accepted but warns about.</summary>
    public IReadOnlyList<DockerfileWarning> Warnings { get; }

    /// <summary>The value of the <c># syntax=</c> directive, or null when there is none.</summary>
    public string? Syntax => Directives.FirstOrDefault(d => d.Name == "syntax")?.Value;

    /// <summary>The instructions in BuildKit's dump format, one <c>(keyword "arg" ...)</c> a line.</summary>
    public string Dump() => string.Join('\n', Nodes.Select(node => "(" + node.Dump() + ")"));
}
