namespace Dockerless.Unpacking;

/// <summary>
/// What an unpack did. The counts are of layer entries applied, lower layers first, so a file
/// that a later layer replaced or deleted counts once in each layer that wrote it.
/// </summary>
public sealed record UnpackResult
{
    /// <summary>The most entries <see cref="Skipped"/> lists; <see cref="SkippedCount"/> counts them all.</summary>
    public const int MaxListedSkipped = 1000;

    /// <summary>The directory the root filesystem was written to (a full path).</summary>
    public required string Directory { get; init; }

    /// <summary>Whether the tree was made rootless (see <see cref="UnpackOptions.Rootless"/>).</summary>
    public required bool Rootless { get; init; }

    /// <summary>The number of layers applied.</summary>
    public int Layers { get; init; }

    /// <summary>Regular files written.</summary>
    public long Files { get; init; }

    /// <summary>Directory entries applied (made, or an existing directory given new metadata).</summary>
    public long Directories { get; init; }

    /// <summary>Symbolic links made.</summary>
    public long SymbolicLinks { get; init; }

    /// <summary>Hard links made.</summary>
    public long HardLinks { get; init; }

    /// <summary>Device nodes and fifos made.</summary>
    public long SpecialFiles { get; init; }

    /// <summary>Whiteouts and opaque markers applied.</summary>
    public long Whiteouts { get; init; }

    /// <summary>How many entries or extended attributes were not written (see <see cref="Skipped"/>).</summary>
    public long SkippedCount { get; init; }

    /// <summary>What was not written, in layer order: the first <see cref="MaxListedSkipped"/>.</summary>
    public IReadOnlyList<SkippedEntry> Skipped { get; init; } = [];
}
