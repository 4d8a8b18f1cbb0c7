namespace Dockerless.Dockerfiles;

/// <summary><c>FROM [--platform=P] image [AS name]</c>: starts a build stage.</summary>
/// <param name="node">The parsed instruction.</param>
/// <param name="baseName">The image or earlier stage to start from, as written (<c>scratch</c> for none).</param>
/// <param name="stageName">The stage's name in lower case, or null when it has none.</param>
/// <param name="platform">The <c>--platform</c> value as written, or null when none was given.</param>
public sealed class FromInstruction(DockerfileNode node, string baseName, string? stageName, string? platform) : Instruction(node)
{
    /// <summary>The image or earlier stage to start from, as written (<c>scratch</c> for none); expand it with the global ARGs.</summary>
    public string BaseName { get; } = baseName;

    /// <summary>The stage's name in lower case (BuildKit lowers it), or null when it has none.</summary>
    public string? StageName { get; } = stageName;

    /// <summary>The <c>--platform</c> value as written (it may name <c>$BUILDPLATFORM</c>), or null when none was given.</summary>
    public string? Platform { get; } = platform;
}
