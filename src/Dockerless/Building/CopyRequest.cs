namespace Dockerless.Building;

/// <summary>One COPY or ADD with its words expanded and its flags read.</summary>
internal sealed record CopyRequest
{
    /// <summary>COPY or ADD, for messages.</summary>
    public required string Instruction { get; init; }

    /// <summary>The sources, expanded, as written relative to the tree.</summary>
    public required IReadOnlyList<string> Sources { get; init; }

    /// <summary>The destination, absolute, normalised, without a trailing slash (the root is empty).</summary>
    public required string Destination { get; init; }

    /// <summary>Whether the destination is a directory: it ended with <c>/</c>, or names one the build made.</summary>
    public required bool DestinationIsDirectory { get; init; }

    /// <summary>The owner every entry gets (<c>--chown</c>), or null to keep the tree's.</summary>
    public (int Uid, int Gid)? Owner { get; init; }

    /// <summary>The mode every file and directory copied gets (<c>--chmod</c>), or null.</summary>
    public UnixFileMode? Mode { get; init; }

    /// <summary>Whether the sources' directories are kept under the destination (<c>--parents</c>).</summary>
    public bool Parents { get; init; }

    /// <summary>What to leave out of each source (<c>--exclude</c>).</summary>
    public DockerIgnore Excludes { get; init; } = DockerIgnore.None;

    /// <summary>Whether a local tar archive is extracted rather than copied (ADD).</summary>
    public bool ExtractArchives { get; init; }
}
