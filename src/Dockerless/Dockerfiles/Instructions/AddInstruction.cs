namespace Dockerless.Dockerfiles;

/// <summary><c>ADD [--chown] [--chmod] [--link] [--checksum] [--keep-git-dir] [--unpack] [--exclude] src... dest</c>.</summary>
/// <param name="node">The parsed instruction.</param>
/// <param name="files">The sources and destination.</param>
/// <param name="chown">The <c>--chown</c> value, or null.</param>
/// <param name="chmod">The <c>--chmod</c> value, or null.</param>
/// <param name="link">Whether <c>--link</c> was given.</param>
/// <param name="checksum">The <c>--checksum</c> value, or null.</param>
/// <param name="keepGitDirectory">The <c>--keep-git-dir</c> value, or null when not given.</param>
/// <param name="unpack">The <c>--unpack</c> value, or null when not given.</param>
/// <param name="excludes">The <c>--exclude</c> patterns.</param>
public sealed class AddInstruction(
    DockerfileNode node,
    FileTransfer files,
    string? chown,
    string? chmod,
    bool link,
    string? checksum,
    bool? keepGitDirectory,
    bool? unpack,
    IReadOnlyList<string> excludes) : Instruction(node)
{
    /// <summary>The sources (context paths, URLs, git repositories) and destination, as written.</summary>
    public FileTransfer Files { get; } = files;

    /// <summary>The <c>--chown</c> value, or null.</summary>
    public string? Chown { get; } = chown;

    /// <summary>The <c>--chmod</c> value, or null.</summary>
    public string? Chmod { get; } = chmod;

    /// <summary>Whether <c>--link</c> was given.</summary>
    public bool Link { get; } = link;

    /// <summary>The <c>--checksum</c> value (<c>sha256:...</c>) a URL source must match, or null.</summary>
    public string? Checksum { get; } = checksum;

    /// <summary>The <c>--keep-git-dir</c> value, or null when not given.</summary>
    public bool? KeepGitDirectory { get; } = keepGitDirectory;

    /// <summary>The <c>--unpack</c> value, or null when not given (then local archives are unpacked and URLs are not).</summary>
    public bool? Unpack { get; } = unpack;

    /// <summary>The <c>--exclude</c> patterns, in order.</summary>
    public IReadOnlyList<string> Excludes { get; } = excludes;
}
