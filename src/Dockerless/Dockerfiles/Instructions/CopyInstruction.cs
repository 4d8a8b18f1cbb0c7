namespace Dockerless.Dockerfiles;

/// <summary><c>COPY [--from] [--chown] [--chmod] [--link] [--parents] [--exclude] src... dest</c>.</summary>
/// <param name="node">The parsed instruction.</param>
/// <param name="files">The sources and destination.</param>
/// <param name="from">The <c>--from</c> stage, image or context, or null.</param>
/// <param name="chown">The <c>--chown</c> value, or null.</param>
/// <param name="chmod">The <c>--chmod</c> value, or null.</param>
/// <param name="link">Whether <c>--link</c> was given.</param>
/// <param name="parents">Whether <c>--parents</c> was given.</param>
/// <param name="excludes">The <c>--exclude</c> patterns.</param>
public sealed class CopyInstruction(
    DockerfileNode node,
    FileTransfer files,
    string? from,
    string? chown,
    string? chmod,
    bool link,
    bool parents,
    IReadOnlyList<string> excludes) : Instruction(node)
{
    /// <summary>The sources and destination, as written.</summary>
    public FileTransfer Files { get; } = files;

    /// <summary>The <c>--from</c> value (a stage name or index, an image, a named context), or null to copy from the build context.</summary>
    public string? From { get; } = from;

    /// <summary>The <c>--chown</c> value (<c>user[:group]</c>, names or ids), or null.</summary>
    public string? Chown { get; } = chown;

    /// <summary>The <c>--chmod</c> value (octal or symbolic), or null.</summary>
    public string? Chmod { get; } = chmod;

    /// <summary>Whether <c>--link</c> was given (the files go into a layer of their own, independent of the one below).</summary>
    public bool Link { get; } = link;

    /// <summary>Whether <c>--parents</c> was given (source directories are kept under the destination).</summary>
    public bool Parents { get; } = parents;

    /// <summary>The <c>--exclude</c> patterns, in order.</summary>
    public IReadOnlyList<string> Excludes { get; } = excludes;
}
